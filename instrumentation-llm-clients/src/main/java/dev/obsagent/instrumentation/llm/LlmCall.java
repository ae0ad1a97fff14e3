package dev.obsagent.instrumentation.llm;

import dev.obsagent.instrumentation.llm.content.ContentCapture;
import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import dev.obsagent.instrumentation.llm.provider.RequestFields;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import dev.obsagent.instrumentation.llm.provider.UsageExtractor;
import dev.obsagent.instrumentation.llm.telemetry.ErrorTypes;
import dev.obsagent.instrumentation.llm.telemetry.FinishedCall;
import dev.obsagent.instrumentation.llm.telemetry.LlmTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One LLM call in flight, from {@link LlmCalls#start} to the first terminal event: the response
 * body's end or error, or a failure before any response. Callbacks may come from different
 * threads one after the other (async clients); the call finishes, records and ends its span
 * exactly once. No method throws.
 */
public final class LlmCall {

  private final LlmTelemetry telemetry;
  private final LlmRequestMatch match;
  private final NanoClock clock;
  private final long startNanos;
  private final Span span;
  private final Context context;
  private final ContentCapture capture;
  private final RequestObserver request;
  private final AtomicBoolean finished = new AtomicBoolean();

  LlmCall(LlmTelemetry telemetry, LlmRequestMatch match, NanoClock clock, Context parent, ContentCapture capture) {
    this.telemetry = telemetry;
    this.capture = capture;
    this.request = new RequestObserver(this, capture);
    this.match = match;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
    this.span = telemetry.startSpan(match, parent);
    this.context = parent.with(span);
  }

  /** The context holding this call's span: parent of the HTTP client span, source of {@code traceparent}. */
  public Context context() {
    return context;
  }

  public LlmRequestMatch match() {
    return match;
  }

  /** Feed it the request body as it is written. */
  public RequestObserver requestBody() {
    return request;
  }

  /** The response arrived: feed its body to the returned observer. */
  public ResponseObserver onResponse(int status, String contentType, String contentEncoding) {
    UsageExtractor extractor = match.shape().newExtractor();
    if (capture.enabled()) {
      extractor.captureCompletion(capture.newCompletionText());
    }
    return new ResponseObserver(this, clock, status, contentType, contentEncoding, extractor, capture.maxStringBytes());
  }

  /** The call failed before a response (connect error, timeout, cancellation). */
  public void onError(Throwable error) {
    finish(0, ResponseFacts.NONE, error, -1, false);
  }

  void finish(int status, ResponseFacts facts, Throwable error, long firstChunkNanos, boolean streamedFraming) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      long endNanos = clock.nanoTime();
      RequestFields fields = request.fields();
      String requestModel = fields.model() != null ? fields.model() : match.pathModel();
      boolean requestStream =
          fields.stream() != null ? fields.stream() : match.pathStreams() || match.shape().streamsByDefault();
      boolean streamed = requestStream || streamedFraming;
      double timeToFirstChunk =
          streamed && firstChunkNanos >= 0 && error == null && status < 400
              ? seconds(firstChunkNanos - startNanos)
              : Double.NaN;
      telemetry.record(
          new FinishedCall(
              match, requestModel, requestStream, facts, ErrorTypes.of(status, error), error,
              seconds(endNanos - startNanos), timeToFirstChunk, request.prompt()),
          span);
    } catch (Throwable internal) {
      telemetry.internalError(internal);
    } finally {
      span.end();
    }
  }

  void internalError(Throwable error) {
    telemetry.internalError(error);
  }

  private static double seconds(long nanos) {
    return Math.max(nanos, 0) / 1e9;
  }
}
