package dev.obsagent.instrumentation.llm;

import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.instrumentation.llm.content.ContentCapture;
import dev.obsagent.instrumentation.llm.endpoint.ConfiguredEndpoints;
import dev.obsagent.instrumentation.llm.endpoint.LlmEndpoints;
import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import dev.obsagent.instrumentation.llm.pricing.PriceTable;
import dev.obsagent.instrumentation.llm.telemetry.LlmTelemetry;
import io.opentelemetry.context.Context;

/**
 * The entry point of the provider-independent LLM core, for the HTTP-client weaving layer:
 *
 * <pre>{@code
 * LlmRequestMatch match = llm.recognize("POST", "https", host, port, path);  // null: not an LLM call
 * if (match != null) {
 *   LlmCall call = llm.start(match, Context.current());   // null only if the agent failed
 *   // make call.context() current for the HTTP client span; inject traceparent from it
 *   call.requestBody().onBytes(chunk, 0, n);               // as the request body is written
 *   ResponseObserver body = call.onResponse(status, contentType, contentEncoding);
 *   body.onBytes(chunk, 0, n);                             // as the application reads
 *   body.onComplete();                                     // end of body, or close
 *   // or body.onError(e) / call.onError(e) before any response
 * }
 * }</pre>
 *
 * Nothing here throws into the application, buffers a body, or uses library types.
 */
public final class LlmCalls {

  private final LlmEndpoints endpoints;
  private final LlmTelemetry telemetry;
  private final NanoClock clock;
  private final ContentCapture capture;

  public LlmCalls(LlmEndpoints endpoints, LlmTelemetry telemetry, NanoClock clock) {
    this(endpoints, telemetry, clock, ContentCapture.OFF);
  }

  public LlmCalls(LlmEndpoints endpoints, LlmTelemetry telemetry, NanoClock clock, ContentCapture capture) {
    this.endpoints = endpoints;
    this.telemetry = telemetry;
    this.clock = clock;
    this.capture = capture;
  }

  /** Reads {@code obs.llm.*}, loads the price table and creates the gen_ai metrics. */
  public static LlmCalls create(AgentContext context) {
    AgentConfig config = context.config();
    ContentCapture capture =
        config.getBoolean(ConfigKeys.LLM_CAPTURE_CONTENT, false)
            ? ContentCapture.on(ContentCapture.DEFAULT_MAX_CHARS)
            : ContentCapture.OFF;
    PriceTable prices = PriceTable.load(config.getString(ConfigKeys.LLM_PRICES, null), AgentLog.get()::warn);
    LlmTelemetry telemetry =
        new LlmTelemetry(context.metrics(), context.tracer("llm"), context.spanExceptions(), prices);
    return new LlmCalls(new LlmEndpoints(ConfiguredEndpoints.fromConfig(config)), telemetry, NanoClock.SYSTEM, capture);
  }

  /**
   * Whether this outgoing request is an LLM call. Cheap and allocation-free for other URLs.
   *
   * @param path the request path without query string
   * @param port the port, or -1 for the scheme's default
   */
  public LlmRequestMatch recognize(String method, String scheme, String host, int port, String path) {
    try {
      return endpoints.recognize(method, scheme, host, port, path);
    } catch (Throwable error) {
      telemetry.internalError(error);
      return null;
    }
  }

  /** Starts measuring a recognised call now, with its span a child of {@code parent}; null if that failed. */
  public LlmCall start(LlmRequestMatch match, Context parent) {
    try {
      return new LlmCall(telemetry, match, clock, parent, capture);
    } catch (Throwable error) {
      telemetry.internalError(error);
      return null;
    }
  }
}
