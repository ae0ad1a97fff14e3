package dev.obsagent.core.tracing;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * What {@link UrlConnectionHttpSender} needs to post OTLP/HTTP protobuf requests, with the
 * OpenTelemetry OTLP exporter's defaults: a 10 s connect timeout (never past the export
 * timeout), the SDK's default retry policy, the JVM's proxy selector and trust store, no
 * compression.
 */
final class OtlpSenderConfig implements HttpSenderConfig {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final Duration timeout;
  private final Map<String, List<String>> headers;

  /**
   * @param headers sent with every request (an auth header for a hosted collector, say)
   * @param userAgent the {@code User-Agent} header, unless {@code headers} has one
   */
  OtlpSenderConfig(URI endpoint, Duration timeout, Map<String, String> headers, String userAgent) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    Map<String, List<String>> all = new LinkedHashMap<>();
    if (headers.keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
      all.put("User-Agent", List.of(userAgent));
    }
    headers.forEach((name, value) -> all.put(name, List.of(value)));
    this.headers = Map.copyOf(all);
  }

  @Override
  public URI getEndpoint() {
    return endpoint;
  }

  @Override
  public String getContentType() {
    return "application/x-protobuf";
  }

  @Override
  public Compressor getCompressor() {
    return null;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public Duration getConnectTimeout() {
    return CONNECT_TIMEOUT;
  }

  @Override
  public Supplier<Map<String, List<String>>> getHeadersSupplier() {
    return () -> headers;
  }

  @Override
  public ProxyOptions getProxyOptions() {
    return null;
  }

  @Override
  public RetryPolicy getRetryPolicy() {
    return RetryPolicy.getDefault();
  }

  @Override
  public SSLContext getSslContext() {
    return null;
  }

  @Override
  public X509TrustManager getTrustManager() {
    return null;
  }

  /** None: the sender posts on the export thread that calls it. */
  @Override
  public ExecutorService getExecutorService() {
    return null;
  }
}
