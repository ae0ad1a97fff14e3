package dev.obsagent.instrumentation.servlet;

import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.api.HttpLabels;
import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.bootstrap.servlet.HttpServerRecorder;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.metrics.CappedSeries;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Turns what servlet advice saw into the HTTP server metrics and SERVER spans of CONTRACT.md. */
final class ServletTelemetry extends HttpServerRecorder {

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");

  final Tracer tracer;
  final TextMapPropagator propagator;
  final CappedSeries<DistributionDataPoint> durations;
  final CappedSeries<LongAdder> activeRequests;
  final SpanExceptions spanExceptions;
  final RouteNames routes = new RouteNames();
  private final ExcludedPaths excludedPaths;
  private final String[] propagationHeaders;
  private final HeaderArrayGetter headerGetter;

  ServletTelemetry(AgentContext context) {
    this.tracer = context.tracer("servlet");
    this.propagator = context.propagators().getTextMapPropagator();
    this.durations =
        context.metrics().durationHistogram(
            "http_server_request_duration_seconds",
            "Duration of HTTP server requests.",
            "http_request_method", "http_route", "http_response_status_code", "error_type");
    this.activeRequests =
        context.metrics().inFlightGauge(
            "http_server_active_requests", "Number of HTTP server requests in flight.", "http_request_method");
    this.spanExceptions = context.spanExceptions();
    this.excludedPaths = ExcludedPaths.fromConfig(context.config());
    List<String> fields = new ArrayList<>(propagator.fields());
    this.propagationHeaders = fields.toArray(new String[0]);
    this.headerGetter = new HeaderArrayGetter(propagationHeaders);
  }

  @Override
  public String[] propagationHeaders() {
    return propagationHeaders;
  }

  @Override
  public HttpServerExchange start(
      String method, String scheme, String serverName, int serverPort, String path,
      String userAgent, String[] propagationHeaderValues) {
    if (!excludedPaths.isEmpty() && excludedPaths.matches(path)) {
      return null;
    }
    long startNanos = System.nanoTime();
    String methodLabel = HttpLabels.method(method);
    // No propagation header, nothing to extract: every configured propagator (tracecontext,
    // baggage) would hand back the root context, after building an empty baggage to say so.
    Context parent =
        propagationHeaderValues == null
            ? Context.root()
            : propagator.extract(Context.root(), propagationHeaderValues, headerGetter);
    SpanBuilder builder =
        tracer.spanBuilder(methodLabel)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(HTTP_REQUEST_METHOD, methodLabel)
            .setAttribute(URL_PATH, path)
            .setAttribute(URL_SCHEME, scheme)
            .setAttribute(SERVER_ADDRESS, serverName)
            .setAttribute(SERVER_PORT, BoxedLongs.of(serverPort));
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT, userAgent);
    }
    if (methodLabel == HttpLabels.OTHER_METHOD && method != null) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    Span span = builder.startSpan();
    LongAdder active = activeRequests.get(methodLabel);
    active.increment();
    return new ServletExchange(this, span, parent.with(span), methodLabel, active, startNanos);
  }

  /** Reads propagation headers from the parallel name/value arrays the advice filled. */
  private static final class HeaderArrayGetter implements TextMapGetter<String[]> {
    private final String[] names;

    HeaderArrayGetter(String[] names) {
      this.names = names;
    }

    @Override
    public Iterable<String> keys(String[] values) {
      return Arrays.asList(names);
    }

    @Override
    public String get(String[] values, String key) {
      if (values == null) {
        return null;
      }
      for (int i = 0; i < names.length && i < values.length; i++) {
        if (names[i].equalsIgnoreCase(key)) {
          return values[i];
        }
      }
      return null;
    }
  }
}
