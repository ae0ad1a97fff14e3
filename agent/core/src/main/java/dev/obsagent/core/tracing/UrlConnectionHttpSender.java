package dev.obsagent.core.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Sends OTLP export requests ({@link OtlpSpanExporter}) with {@link HttpURLConnection}, in place
 * of the OpenTelemetry exporter's {@code java.net.http} sender.
 *
 * <p>The JDK {@code HttpClient} costs an application that does not use it already some 240
 * classes and four threads of its own (a selector and a pool of workers that never idles out at
 * one export a second), for one POST a second. {@code HttpURLConnection} sends the request on the
 * agent's export thread and keeps the connection alive between exports.
 *
 * <p>Behaves as the OpenTelemetry JDK sender does: the export timeout bounds the whole call,
 * retries included; 429, 502, 503 and 504 answers and I/O errors other than TLS failures are
 * retried with the configured backoff; any other answer, 2xx or not, is handed back as it is.
 */
final class UrlConnectionHttpSender implements HttpSender {

  /** The largest body buffer kept for the next export. */
  static final int MAX_SPARE_BODY_BYTES = 4 * 1024 * 1024;

  private final URL url;
  private final Proxy proxy;
  private final HttpSenderConfig config;
  private final ExecutorService executor;
  private final long timeoutNanos;
  private final long maxResponseBodySize;
  private final AtomicReference<RequestBody> spareBody = new AtomicReference<>();

  UrlConnectionHttpSender(HttpSenderConfig config) {
    this.config = config;
    URI endpoint = config.getEndpoint();
    try {
      this.url = endpoint.toURL();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an http(s) URL: " + endpoint, e);
    }
    this.proxy = config.getProxyOptions() == null ? null : proxy(config, endpoint);
    this.executor = config.getExecutorService();
    this.timeoutNanos = config.getTimeout().toNanos();
    this.maxResponseBodySize = config.getMaxResponseBodySize();
  }

  private static Proxy proxy(HttpSenderConfig config, URI endpoint) {
    ProxySelector selector = config.getProxyOptions().getProxySelector();
    List<Proxy> proxies = selector.select(endpoint);
    return proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
  }

  @Override
  public void send(MessageWriter messageWriter, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    Runnable task =
        () -> {
          HttpResponse response;
          try {
            response = sendWithRetries(messageWriter);
          } catch (Throwable t) {
            onError.accept(t);
            return;
          }
          onResponse.accept(response);
        };
    if (executor == null) {
      task.run();
    } else {
      executor.execute(task);
    }
  }

  private HttpResponse sendWithRetries(MessageWriter messageWriter) throws IOException {
    RequestBody body = borrowBody();
    try {
      return sendWithRetries(body, messageWriter);
    } finally {
      returnBody(body);
    }
  }

  private HttpResponse sendWithRetries(RequestBody body, MessageWriter messageWriter) throws IOException {
    long start = System.nanoTime();
    write(body, messageWriter);
    RetryPolicy retryPolicy = config.getRetryPolicy();
    if (retryPolicy == null) {
      return post(body, timeoutNanos);
    }
    long nextBackoffNanos = retryPolicy.getInitialBackoff().toNanos();
    for (int attempt = 1; ; attempt++) {
      HttpResponse response = null;
      IOException failure = null;
      try {
        response = post(body, timeoutNanos - (System.nanoTime() - start));
        if (!isRetryable(response.getStatusCode())) {
          return response;
        }
      } catch (IOException e) {
        if (!isRetryable(retryPolicy, e)) {
          throw e;
        }
        failure = e;
      }
      long backoffNanos = Math.min(nextBackoffNanos, retryPolicy.getMaxBackoff().toNanos());
      nextBackoffNanos = (long) (backoffNanos * retryPolicy.getBackoffMultiplier());
      backoffNanos = (long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * backoffNanos);
      boolean lastAttempt =
          attempt >= retryPolicy.getMaxAttempts() || System.nanoTime() - start + backoffNanos >= timeoutNanos;
      if (!lastAttempt) {
        try {
          TimeUnit.NANOSECONDS.sleep(backoffNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lastAttempt = true;
        }
      }
      if (lastAttempt) {
        if (response != null) {
          return response;
        }
        throw failure;
      }
    }
  }

  static boolean isRetryable(int statusCode) {
    return statusCode == 429 || statusCode == 502 || statusCode == 503 || statusCode == 504;
  }

  private static boolean isRetryable(RetryPolicy retryPolicy, IOException e) {
    return retryPolicy.getRetryExceptionPredicate() != null
        ? retryPolicy.getRetryExceptionPredicate().test(e)
        : !(e instanceof SSLException);
  }

  /**
   * The spare body buffer, or a new one. A batch's body runs to tens of KiB (a few hundred bytes a
   * span), and a fresh buffer for each export was about a sixth of all the agent allocated per
   * request. Exports follow one another on the export thread, so one spare is enough; a flush at
   * shutdown that overlaps an export simply gets a new one.
   */
  private RequestBody borrowBody() {
    RequestBody body = spareBody.getAndSet(null);
    if (body == null) {
      return new RequestBody();
    }
    body.reset();
    return body;
  }

  private void returnBody(RequestBody body) {
    // A rare huge batch (long query texts, say) is not kept for the life of the JVM.
    if (body.capacity() <= MAX_SPARE_BODY_BYTES) {
      spareBody.set(body);
    }
  }

  /** The request body, written once: a retry sends the same bytes ({@code writeTo} copies nothing). */
  private void write(RequestBody body, MessageWriter messageWriter) throws IOException {
    body.ensureCapacity(messageWriter.getContentLength());
    Compressor compressor = config.getCompressor();
    if (compressor == null) {
      messageWriter.writeMessage(body);
    } else {
      try (OutputStream compressed = compressor.compress(body)) {
        messageWriter.writeMessage(compressed);
      }
    }
  }

  private HttpResponse post(RequestBody body, long timeoutLeftNanos) throws IOException {
    int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(timeoutLeftNanos)));
    // Without proxy options, the JVM's default proxy selector, as for the JDK client.
    HttpURLConnection connection = (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
    try {
      if (connection instanceof HttpsURLConnection && config.getSslContext() != null) {
        SSLContext sslContext = config.getSslContext();
        ((HttpsURLConnection) connection).setSSLSocketFactory(sslContext.getSocketFactory());
      }
      long connectTimeoutMillis = config.getConnectTimeout() == null ? timeoutMillis : config.getConnectTimeout().toMillis();
      connection.setConnectTimeout((int) Math.max(1, Math.min(timeoutMillis, connectTimeoutMillis)));
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod("POST");
      connection.setInstanceFollowRedirects(false);
      connection.setDoOutput(true);
      connection.setUseCaches(false);
      connection.setFixedLengthStreamingMode(body.size());
      Map<String, List<String>> headers = config.getHeadersSupplier().get();
      if (headers != null) {
        headers.forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
      }
      connection.setRequestProperty("Content-Type", config.getContentType());
      if (config.getCompressor() != null) {
        connection.setRequestProperty("Content-Encoding", config.getCompressor().getEncoding());
      }
      try (OutputStream out = connection.getOutputStream()) {
        body.writeTo(out);
      }
      int status = connection.getResponseCode();
      String message = connection.getResponseMessage();
      byte[] responseBody = readBody(connection, status);
      return new Response(status, message == null ? String.valueOf(status) : message, responseBody);
    } catch (IOException e) {
      connection.disconnect(); // a half-read connection must not go back to the keep-alive cache
      throw e;
    }
  }

  /** Reads the answer to its end, so the connection can be reused for the next export. */
  private byte[] readBody(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in == null) {
      return new byte[0];
    }
    try (InputStream body = in) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      long total = 0;
      for (int n; (n = body.read(buffer)) >= 0; ) {
        total += n;
        if (total > maxResponseBodySize) {
          connection.disconnect();
          throw new IOException("the collector's answer is larger than " + maxResponseBodySize + " bytes");
        }
        bytes.write(buffer, 0, n);
      }
      return bytes.toByteArray();
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  /** A byte buffer that can be emptied and filled again without giving up its array. */
  static final class RequestBody extends ByteArrayOutputStream {
    RequestBody() {
      super(8192);
    }

    int capacity() {
      return buf.length;
    }

    /** Grows the array once to the size the exporter announced, instead of doubling up to it. */
    void ensureCapacity(int bytes) {
      if (bytes > buf.length) {
        buf = Arrays.copyOf(buf, bytes);
      }
    }
  }

  private static final class Response implements HttpResponse {
    private final int statusCode;
    private final String statusMessage;
    private final byte[] body;

    Response(int statusCode, String statusMessage, byte[] body) {
      this.statusCode = statusCode;
      this.statusMessage = statusMessage;
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return statusCode;
    }

    @Override
    public String getStatusMessage() {
      return statusMessage;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
