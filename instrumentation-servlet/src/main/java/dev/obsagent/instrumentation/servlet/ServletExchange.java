package dev.obsagent.instrumentation.servlet;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.api.HttpLabels;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/** One measured request: its span is current on the request thread until the thread leaves. */
final class ServletExchange extends HttpServerExchange {

  // Updaters on this object's own fields rather than an AtomicBoolean and an AtomicReference:
  // two objects fewer per request.
  private static final AtomicIntegerFieldUpdater<ServletExchange> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(ServletExchange.class, "ended");
  private static final AtomicReferenceFieldUpdater<ServletExchange, Scope> SCOPE =
      AtomicReferenceFieldUpdater.newUpdater(ServletExchange.class, Scope.class, "scope");

  private final ServletTelemetry telemetry;
  private final Span span;
  private final String method;
  private final LongAdder active;
  private final long startNanos;
  private final Thread requestThread;
  private volatile Scope scope;
  private volatile int ended;

  ServletExchange(
      ServletTelemetry telemetry, Span span, Context context, String method, LongAdder active, long startNanos) {
    this.telemetry = telemetry;
    this.span = span;
    this.method = method;
    this.active = active;
    this.startNanos = startNanos;
    this.requestThread = Thread.currentThread();
    this.scope = context.makeCurrent();
  }

  @Override
  public void leaveThread() {
    // Scopes are thread-bound: only the thread that opened this one may close it.
    if (Thread.currentThread() == requestThread) {
      Scope current = SCOPE.getAndSet(this, null);
      if (current != null) {
        current.close();
      }
    }
  }

  @Override
  public void end(
      int status, Throwable error, String contextPath, String servletPattern, String mappingMatch,
      String frameworkTemplate) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return;
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String route = telemetry.routes.route(contextPath, servletPattern, mappingMatch, frameworkTemplate);
    String statusText = HttpLabels.status(status);
    String errorType = error != null ? error.getClass().getName() : status >= 500 ? statusText : "";
    // Observed with the span current, so the histogram can attach it as an exemplar. On the
    // request thread it still is (no new context, no scope); an async request ends elsewhere.
    try (Scope ignored = span.makeCurrent()) {
      telemetry.durations.get(method, route, statusText, errorType).observe(seconds);
    } finally {
      active.decrement();
    }
    if (span.isRecording()) {
      span.setAttribute(ServletTelemetry.HTTP_RESPONSE_STATUS_CODE, BoxedLongs.of(status));
      if (!RouteNames.UNKNOWN.equals(route)) {
        span.setAttribute(ServletTelemetry.HTTP_ROUTE, route);
        span.updateName(telemetry.routes.spanName(method, route));
      }
    }
    if (!errorType.isEmpty()) {
      telemetry.spanExceptions.recordFailure(span, errorType, error);
    }
    span.end();
    leaveThread();
  }
}
