package dev.obsagent.instrumentation.httpclient;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.api.HttpLabels;
import dev.obsagent.core.metrics.ExemplarSpanContext;
import dev.obsagent.instrumentation.llm.LlmCall;
import dev.obsagent.instrumentation.llm.ResponseObserver;
import dev.obsagent.instrumentation.llm.telemetry.ErrorTypes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One outgoing call: the HTTP measurement ends at the response headers (or the failure), the LLM
 * measurement, when there is one, at the end of the response body.
 */
final class MeasuredHttpCall extends HttpClientCall {

  private static final TextMapSetter<List<String>> HEADER_LIST_SETTER =
      (headers, name, value) -> {
        headers.add(name);
        headers.add(value);
      };

  private final HttpClientTelemetry telemetry;
  private final String instrumentation;
  private final Span span;
  private final Context context;
  private final String method;
  private final String host;
  private final long startNanos;
  private final LlmCall llmCall;
  private final AtomicBoolean httpEnded = new AtomicBoolean();
  private volatile ResponseObserver llmResponse;

  MeasuredHttpCall(
      HttpClientTelemetry telemetry, String instrumentation, Span span, Context context, String method, String host, long startNanos,
      LlmCall llmCall) {
    this.telemetry = telemetry;
    this.instrumentation = instrumentation;
    this.span = span;
    this.context = context;
    this.method = method;
    this.host = host;
    this.startNanos = startNanos;
    this.llmCall = llmCall;
  }

  @Override
  public String[] propagationHeaders() {
    List<String> headers = new ArrayList<>(4);
    telemetry.propagator.inject(context, headers, HEADER_LIST_SETTER);
    return headers.toArray(new String[0]);
  }

  @Override
  public boolean observesBodies() {
    return llmCall != null;
  }

  @Override
  public void onRequestBytes(byte[] bytes, int offset, int length) {
    if (llmCall != null) {
      llmCall.requestBody().onBytes(bytes, offset, length);
    }
  }

  @Override
  public void onResponse(int status, String contentType, String contentEncoding) {
    endHttp(status, null);
    try {
      if (llmCall != null && llmResponse == null) {
        llmResponse = llmCall.onResponse(status, contentType, contentEncoding);
      }
    } catch (Throwable error) {
      internalError(error);
    }
  }

  @Override
  public void onResponseBytes(byte[] bytes, int offset, int length) {
    ResponseObserver response = llmResponse;
    if (response != null) {
      response.onBytes(bytes, offset, length);
    }
  }

  @Override
  public void onResponseBytes(ByteBuffer buffer) {
    ResponseObserver response = llmResponse;
    if (response != null && buffer != null) {
      response.onBytes(buffer);
    }
  }

  @Override
  public void onResponseComplete() {
    ResponseObserver response = llmResponse;
    if (response != null) {
      response.onComplete();
    }
  }

  @Override
  public void onError(Throwable error) {
    endHttp(0, error);
    if (llmCall != null) {
      ResponseObserver response = llmResponse;
      if (response != null) {
        response.onError(error);
      } else {
        llmCall.onError(error);
      }
    }
  }

  private void endHttp(int status, Throwable error) {
    if (!httpEnded.compareAndSet(false, true)) {
      return;
    }
    try {
      recordHttp(status, error);
    } catch (Throwable internal) {
      internalError(internal);
    }
  }

  private void recordHttp(int status, Throwable error) {
    double seconds = Math.max(telemetry.nanoTime() - startNanos, 0) / 1e9;
    String errorType = ErrorTypes.of(status, error);
    String statusLabel = error == null ? HttpLabels.status(status) : "";
    if (error == null) {
      span.setAttribute(HttpClientTelemetry.HTTP_RESPONSE_STATUS_CODE, BoxedLongs.of(status));
    }
    if (!errorType.isEmpty()) {
      telemetry.spanExceptions.recordFailure(span, errorType, error);
    }
    // Observed with the span as exemplar, without making it current.
    try {
      ExemplarSpanContext.observe(telemetry.durations.get(method, host, statusLabel, errorType), seconds, span);
    } finally {
      span.end();
    }
  }

  private void internalError(Throwable error) {
    InstrumentationErrors.record(error, instrumentation);
  }
}
