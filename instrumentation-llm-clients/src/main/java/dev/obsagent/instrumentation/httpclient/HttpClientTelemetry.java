package dev.obsagent.instrumentation.httpclient;

import dev.obsagent.bootstrap.AgentThreads;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.bootstrap.httpclient.HttpClientRecorder;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.api.HttpLabels;
import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.metrics.AgentMetrics;
import dev.obsagent.core.metrics.CappedSeries;
import dev.obsagent.instrumentation.llm.LlmCall;
import dev.obsagent.instrumentation.llm.LlmCalls;
import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * Turns what HTTP client advice saw into {@code http_client_request_duration_seconds} and a
 * CLIENT span per call, with the trace headers for the outgoing request. A call that
 * {@link LlmCalls} recognises is also an LLM call: its gen_ai span is the parent of the HTTP span
 * and its bodies are read as they pass.
 *
 * <p>One instance serves every client (java.net.http, OkHttp, Apache HttpClient), so a call is
 * measured the same way whichever library made it.
 */
public final class HttpClientTelemetry extends HttpClientRecorder {

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");

  private static volatile HttpClientTelemetry shared;

  final Tracer tracer;
  final TextMapPropagator propagator;
  final CappedSeries<DistributionDataPoint> durations;
  final SpanExceptions spanExceptions;
  private final NanoTime clock;
  private volatile LlmCalls llmCalls;

  HttpClientTelemetry(Tracer tracer, TextMapPropagator propagator, AgentMetrics metrics, SpanExceptions spanExceptions, NanoTime clock) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.durations =
        metrics.durationHistogram(
            "http_client_request_duration_seconds",
            "Duration of HTTP client requests, to the response headers.",
            "http_request_method", "server_address", "http_response_status_code", "error_type");
    this.spanExceptions = spanExceptions;
    this.clock = clock;
  }

  /**
   * The one instance behind every HTTP client module (and the {@code llm} module), made by the
   * first module that starts.
   */
  public static synchronized HttpClientTelemetry shared(AgentContext context) {
    if (shared == null) {
      shared =
          new HttpClientTelemetry(
              context.tracer("http-client"), context.propagators().getTextMapPropagator(),
              context.metrics(), context.spanExceptions(), System::nanoTime);
    }
    return shared;
  }

  /** From now on calls to LLM APIs are also measured as LLM calls. */
  public void observeLlmCalls(LlmCalls calls) {
    this.llmCalls = calls;
  }

  @Override
  public HttpClientCall start(
      String instrumentation, String method, String scheme, String host, int port, String path) {
    if (AgentThreads.isAgentThread()) {
      return null;
    }
    // What this throws, HttpClientBridge's guard counts and turns into "not measured".
    long startNanos = clock.nanoTime();
    String methodLabel = HttpLabels.method(method);
    Context parent = Context.current();
    LlmCall llmCall = startLlmCall(method, scheme, host, port, path, parent);
    Context httpParent = llmCall != null ? llmCall.context() : parent;

    Span span = tracer.spanBuilder(methodLabel).setSpanKind(SpanKind.CLIENT).setParent(httpParent).startSpan();
    if (span.isRecording()) {
      int effectivePort = port > 0 ? port : ("https".equals(scheme) ? 443 : 80);
      span.setAttribute(HTTP_REQUEST_METHOD, methodLabel);
      span.setAttribute(URL_FULL, fullUrl(scheme, host, port, path));
      span.setAttribute(SERVER_ADDRESS, host);
      span.setAttribute(SERVER_PORT, BoxedLongs.of(effectivePort));
      if (methodLabel == HttpLabels.OTHER_METHOD && method != null) {
        span.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
    }
    return new MeasuredHttpCall(this, instrumentation, span, httpParent.with(span), methodLabel, host, startNanos, llmCall);
  }

  long nanoTime() {
    return clock.nanoTime();
  }

  private LlmCall startLlmCall(String method, String scheme, String host, int port, String path, Context parent) {
    LlmCalls calls = llmCalls;
    if (calls == null) {
      return null;
    }
    LlmRequestMatch match = calls.recognize(method, scheme, host, port, path);
    return match != null ? calls.start(match, parent) : null;
  }

  /** {@code url.full} without query string or fragment, which often carry keys (CONTRACT.md). */
  static String fullUrl(String scheme, String host, int port, String path) {
    StringBuilder url = new StringBuilder(scheme.length() + host.length() + 16 + (path == null ? 1 : path.length()));
    url.append(scheme).append("://");
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      url.append('[').append(host).append(']'); // an IPv6 literal
    } else {
      url.append(host);
    }
    if (port > 0) {
      url.append(':').append(port);
    }
    url.append(path == null || path.isEmpty() ? "/" : path);
    return url.toString();
  }

  /** The clock, replaceable in tests. */
  interface NanoTime {
    long nanoTime();
  }
}
