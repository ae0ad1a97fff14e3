package dev.obsagent.smoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * An OpenAI-compatible chat endpoint on a raw loopback socket that answers badly on request: the
 * prompt names the fault ({@code fault-malformed}, {@code fault-cut}, {@code fault-drip},
 * {@code fault-gzip}, {@code fault-huge}; anything else is a good answer). A raw socket, so a
 * stream can stop in the middle of an event and the connection just close.
 */
final class FaultyLlmServer implements AutoCloseable {

  static final int HUGE_CONTENT_BYTES = 20 << 20;

  private static final String CHUNK =
      "data: {\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
  private static final String USAGE_CHUNK =
      "data: {\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":15,\"total_tokens\":46}}\n\n";

  private final ServerSocket socket;
  private final Thread acceptor;

  private FaultyLlmServer(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::acceptLoop, "faulty-llm");
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  static FaultyLlmServer start() {
    try {
      return new FaultyLlmServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  /** A good chat completion whose content is {@code content}. */
  static String completion(String content) {
    return "{\"id\":\"chatcmpl-f\",\"object\":\"chat.completion\",\"created\":1763800000,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":15,\"total_tokens\":46}}";
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread handler = new Thread(() -> answer(connection), "faulty-llm-answer");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void answer(Socket connection) {
    try (connection) {
      String request = readRequest(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      if (request.contains("fault-malformed")) {
        whole(out, "application/json", null, "{\"id\":\"chatcmpl-f\",\"choices\":[{\"message\":{\"content\":\"cut".getBytes(StandardCharsets.UTF_8));
      } else if (request.contains("fault-gzip")) {
        whole(out, "application/json", "gzip", gzip(completion("compressed").getBytes(StandardCharsets.UTF_8)));
      } else if (request.contains("fault-huge")) {
        whole(out, "application/json", null, completion("x".repeat(HUGE_CONTENT_BYTES)).getBytes(StandardCharsets.UTF_8));
      } else if (request.contains("fault-cut")) {
        head(out, "text/event-stream", null, -1);
        chunk(out, String.format(CHUNK, "Leo the cat").getBytes(StandardCharsets.UTF_8));
        byte[] half = String.format(CHUNK, " is due").getBytes(StandardCharsets.UTF_8);
        chunk(out, java.util.Arrays.copyOf(half, half.length / 2));
        out.flush(); // and the connection closes: no last chunk, an event cut in two
      } else if (request.contains("fault-drip")) {
        head(out, "text/event-stream", null, -1);
        byte[] stream = (String.format(CHUNK, "Leo the cat") + String.format(CHUNK, " is due for a check-up.")
            + USAGE_CHUNK + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        for (byte b : stream) {
          chunk(out, new byte[] {b}); // one byte per chunk, flushed: a slow drip
          pause(1);
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        whole(out, "application/json", null, completion("all good").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
    } catch (IOException clientWentAway) {
      // the test's assertions tell
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
        break;
      }
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headText.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static void whole(OutputStream out, String contentType, String encoding, byte[] body) throws IOException {
    head(out, contentType, encoding, body.length);
    out.write(body);
  }

  private static void head(OutputStream out, String contentType, String encoding, int length) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: ").append(contentType).append("\r\n");
    if (encoding != null) {
      head.append("Content-Encoding: ").append(encoding).append("\r\n");
    }
    head.append(length >= 0 ? "Content-Length: " + length : "Transfer-Encoding: chunked").append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
