package dev.obsagent.core.tracing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UrlConnectionHttpSenderTest {

  private LoopbackCollector collector;
  private List<LoopbackCollector.Request> received;

  /** A collector answering the given statuses in turn (then 200), with body "ok". */
  private URI collector(Integer... statuses) throws IOException {
    collector = LoopbackCollector.start(statuses);
    received = collector.received;
    return collector.tracesUrl();
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  private static RetryPolicy quickRetries(int attempts) {
    return RetryPolicy.builder()
        .setMaxAttempts(attempts)
        .setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(20))
        .setBackoffMultiplier(1.5)
        .build();
  }

  private static HttpSenderConfig config(URI endpoint, RetryPolicy retryPolicy, Compressor compressor) {
    return new HttpSenderConfig() {
      @Override public URI getEndpoint() { return endpoint; }
      @Override public String getContentType() { return "application/x-protobuf"; }
      @Override public Compressor getCompressor() { return compressor; }
      @Override public Duration getTimeout() { return Duration.ofSeconds(10); }
      @Override public Duration getConnectTimeout() { return Duration.ofSeconds(5); }
      @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() {
        return () -> Map.of("Authorization", List.of("Bearer t0ken"));
      }
      @Override public ProxyOptions getProxyOptions() { return null; }
      @Override public RetryPolicy getRetryPolicy() { return retryPolicy; }
      @Override public SSLContext getSslContext() { return null; }
      @Override public X509TrustManager getTrustManager() { return null; }
      @Override public ExecutorService getExecutorService() { return null; }
    };
  }

  private static MessageWriter message(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new MessageWriter() {
      @Override public void writeMessage(OutputStream out) throws IOException { out.write(bytes); }
      @Override public int getContentLength() { return bytes.length; }
    };
  }

  /** Sends on the calling thread (no executor) and returns the answer or the failure. */
  private static Object send(UrlConnectionHttpSender sender, String text) {
    AtomicReference<Object> outcome = new AtomicReference<>();
    sender.send(message(text), outcome::set, outcome::set);
    return outcome.get();
  }

  @Test
  void postsTheMessageWithItsHeadersAndHandsBackTheAnswer() throws IOException {
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(), quickRetries(5), null));
    HttpResponse response = (HttpResponse) send(sender, "spans");
    assertEquals(200, response.getStatusCode());
    assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), response.getResponseBody());
    assertEquals(1, received.size());
    LoopbackCollector.Request request = received.get(0);
    assertEquals("POST", request.method);
    assertEquals("application/x-protobuf", request.header("Content-Type"));
    assertNull(request.header("Content-Encoding"));
    assertEquals("Bearer t0ken", request.header("Authorization"));
    assertEquals("spans", new String(request.body, StandardCharsets.UTF_8));
  }

  @Test
  void eachExportSendsExactlyItsOwnBytesThoughTheBufferIsReused() throws IOException {
    // The second export is answered 503 once, and retried.
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(200, 503), quickRetries(3), null));
    String large = "x".repeat(20_000); // past the spare buffer's first size: it must grow
    String retried = "y".repeat(300);
    assertEquals(200, ((HttpResponse) send(sender, large)).getStatusCode());
    // Shorter than the last body: nothing of it may trail this one; the retry resends the same.
    assertEquals(200, ((HttpResponse) send(sender, retried)).getStatusCode());
    assertEquals(200, ((HttpResponse) send(sender, "")).getStatusCode());
    assertEquals(4, received.size());
    assertBody(large, received.get(0));
    assertBody(retried, received.get(1));
    assertBody(retried, received.get(2));
    assertBody("", received.get(3));
  }

  @Test
  void aBodyTooLargeToKeepIsNotKeptButSentWhole() throws IOException {
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(), null, null));
    String huge = "z".repeat(UrlConnectionHttpSender.MAX_SPARE_BODY_BYTES + 1);
    assertEquals(200, ((HttpResponse) send(sender, huge)).getStatusCode());
    assertEquals(200, ((HttpResponse) send(sender, "small")).getStatusCode());
    assertBody(huge, received.get(0));
    assertBody("small", received.get(1));
  }

  /** Compares without printing bodies of many KiB when they differ. */
  private static void assertBody(String expected, LoopbackCollector.Request request) {
    String body = new String(request.body, StandardCharsets.UTF_8);
    assertTrue(expected.equals(body), () -> "expected a body of " + expected.length() + " characters starting "
        + expected.substring(0, Math.min(10, expected.length())) + ", got " + body.length() + " starting "
        + body.substring(0, Math.min(10, body.length())));
  }

  @Test
  void compressesWhenAskedTo() throws IOException {
    Compressor gzip = new Compressor() {
      @Override public String getEncoding() { return "gzip"; }
      @Override public OutputStream compress(OutputStream out) throws IOException { return new GZIPOutputStream(out); }
    };
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(), null, gzip));
    assertEquals(200, ((HttpResponse) send(sender, "compressed spans")).getStatusCode());
    assertEquals("gzip", received.get(0).header("Content-Encoding"));
    byte[] body = new GZIPInputStream(new java.io.ByteArrayInputStream(received.get(0).body)).readAllBytes();
    assertEquals("compressed spans", new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void retriesTheRetryableAnswersOnlyAndKeepsOneConnection() throws IOException {
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(503, 429, 500), quickRetries(5), null));
    // 503 and 429 are retried; 500 is the answer.
    assertEquals(500, ((HttpResponse) send(sender, "a")).getStatusCode());
    assertEquals(3, received.size());
    assertEquals(200, ((HttpResponse) send(sender, "b")).getStatusCode());
    assertEquals(4, received.size());
    Set<String> clients = ConcurrentHashMap.newKeySet();
    received.forEach(r -> clients.add(r.client));
    assertEquals(1, clients.size(), "every export on one kept-alive connection");
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastAnswer() throws IOException {
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(collector(503, 503, 503), quickRetries(2), null));
    assertEquals(503, ((HttpResponse) send(sender, "a")).getStatusCode());
    assertEquals(2, received.size());
  }

  @Test
  void anUnreachableCollectorIsAnErrorAfterTheRetries() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port + "/v1/traces");
    UrlConnectionHttpSender sender = new UrlConnectionHttpSender(config(nowhere, quickRetries(3), null));
    Object outcome = send(sender, "a");
    assertTrue(outcome instanceof ConnectException, String.valueOf(outcome));
  }
}
