package dev.obsagent.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A stand-in for an OpenAI-compatible chat API on loopback, so the demo's LLM endpoint works
 * without an API key or network: {@code POST /v1/chat/completions} answers in OpenAI's wire
 * format, whole or as a server-sent-event stream (with the usage chunk when the request asks
 * for {@code stream_options.include_usage}), always with {@value #PROMPT_TOKENS} prompt and
 * {@value #COMPLETION_TOKENS} completion tokens, so tests can check exact counts and cost. A
 * prompt containing {@code rate limit me} gets OpenAI's 429 answer.
 *
 * <p>It is ordinary application code to the agent: the agent sees the demo's HTTP client
 * calling it, exactly as it would see a call to api.openai.com.
 */
final class FakeLlmProvider {

  private static final String ANSWER = "Leo the cat is due for a check-up; Basil the hamster is fine.";
  private static final String[] STREAM_PIECES = {"Leo the cat", " is due for a check-up;", " Basil the hamster", " is fine."};

  static final int PROMPT_TOKENS = 31;
  static final int COMPLETION_TOKENS = 15;

  private final HttpServer server;

  private FakeLlmProvider(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  static FakeLlmProvider start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "fake-llm-provider");
      thread.setDaemon(true);
      return thread;
    }));
    FakeLlmProvider provider = new FakeLlmProvider(server);
    server.createContext("/v1/chat/completions", provider::chat);
    server.start();
    return provider;
  }

  /** The base URL an OpenAI client is pointed at. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void chat(HttpExchange exchange) throws IOException {
    try {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      // Like OpenAI, answer with the dated snapshot behind an alias.
      String requested = jsonField(request, "model", "gpt-4o-mini");
      String model = requested.equals("gpt-4o-mini") ? "gpt-4o-mini-2024-07-18" : requested;
      if (request.contains("rate limit me")) {
        send(exchange, 429, "application/json",
            "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
                + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
      } else if (request.contains("\"stream\":true")) {
        stream(exchange, model, request.contains("\"include_usage\":true"));
      } else {
        send(exchange, 200, "application/json",
            "{\"id\":\"chatcmpl-demo1\",\"object\":\"chat.completion\",\"created\":1763800000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER
                + "\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage() + "}");
      }
    } finally {
      exchange.close();
    }
  }

  private static String usage() {
    return "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
        + ",\"total_tokens\":" + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}";
  }

  private static void stream(HttpExchange exchange, String model, boolean includeUsage) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String head = "{\"id\":\"chatcmpl-demo2\",\"object\":\"chat.completion.chunk\",\"created\":1763800000,\"model\":\"" + model + "\",";
    for (String piece : STREAM_PIECES) {
      event(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}");
      pause(30); // a model writes token by token: time to first chunk differs from the duration
    }
    event(out, head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    if (includeUsage) {
      event(out, head + "\"choices\":[],\"usage\":" + usage() + "}");
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The string value of a top-level field in a small, trusted JSON text (the demo's own requests). */
  static String jsonField(String json, String field, String fallback) {
    String marker = "\"" + field + "\":\"";
    int start = json.indexOf(marker);
    if (start < 0) {
      return fallback;
    }
    start += marker.length();
    int end = json.indexOf('"', start);
    return end < 0 ? fallback : json.substring(start, end);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
