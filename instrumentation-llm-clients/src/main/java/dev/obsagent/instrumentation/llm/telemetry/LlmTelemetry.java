package dev.obsagent.instrumentation.llm.telemetry;

import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.metrics.AgentMetrics;
import dev.obsagent.core.metrics.CappedSeries;
import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import dev.obsagent.instrumentation.llm.pricing.CallCost;
import dev.obsagent.instrumentation.llm.pricing.ModelPrice;
import dev.obsagent.instrumentation.llm.pricing.PriceTable;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import dev.obsagent.instrumentation.llm.provider.TokenUsage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.List;

/**
 * Turns a finished LLM call into the gen_ai metrics and the LLM CLIENT span of CONTRACT.md:
 * duration, token usage, time to first chunk (streamed calls), cost per token type, unpriced
 * calls, and the {@code gen_ai.*} span attributes.
 */
public final class LlmTelemetry {

  /** OpenTelemetry GenAI semantic-convention advice for operation duration and time to first chunk. */
  static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  /** OpenTelemetry GenAI semantic-convention advice for token usage. */
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("obs.gen_ai.cost_usd");
  static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<Boolean> CONTENT_TRUNCATED = AttributeKey.booleanKey("obs.gen_ai.content_truncated");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  private final AgentMetrics metrics;
  private final Tracer tracer;
  private final SpanExceptions spanExceptions;
  private final PriceTable prices;
  private final CappedSeries<DistributionDataPoint> durations;
  private final CappedSeries<DistributionDataPoint> tokens;
  private final CappedSeries<DistributionDataPoint> timeToFirstChunk;
  private final CappedSeries<CounterDataPoint> cost;
  private final UnpricedModels unpriced;

  public LlmTelemetry(AgentMetrics metrics, Tracer tracer, SpanExceptions spanExceptions, PriceTable prices) {
    this.metrics = metrics;
    this.tracer = tracer;
    this.spanExceptions = spanExceptions;
    this.prices = prices;
    // Histograms with the GenAI bucket advice: LLM calls run for seconds to minutes, past the
    // HTTP buckets of AgentMetrics.durationHistogram.
    this.durations =
        metrics.histogram(
            "gen_ai_client_operation_duration_seconds", "Duration of GenAI client operations, in seconds.",
            DURATION_BUCKETS,
            "gen_ai_provider_name", "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_response_model",
            "error_type");
    this.tokens =
        metrics.histogram(
            "gen_ai_client_token_usage", "Tokens used per GenAI client operation, by token type.",
            TOKEN_BUCKETS,
            "gen_ai_provider_name", "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_response_model",
            "gen_ai_token_type");
    this.timeToFirstChunk =
        metrics.histogram(
            "gen_ai_client_operation_time_to_first_chunk_seconds",
            "Time from the start of a streamed GenAI call to its first response chunk, in seconds.",
            DURATION_BUCKETS,
            "gen_ai_provider_name", "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_response_model",
            "error_type");
    this.cost =
        metrics.counter(
            "gen_ai_client_cost_usd_total", "Cost of GenAI client calls in USD, by token type.",
            "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_token_type");
    this.unpriced =
        new UnpricedModels(
            metrics.counter(
                "obs_llm_unpriced_requests_total",
                "GenAI calls with token counts but no price for their model.",
                "gen_ai_provider_name", "gen_ai_request_model"));
  }

  /** Starts the LLM CLIENT span; named {@code {operation} {model}} now if the path names the model. */
  public Span startSpan(LlmRequestMatch match, Context parent) {
    String name = match.pathModel() == null ? match.operation() : match.operation() + " " + match.pathModel();
    return tracer.spanBuilder(name)
        .setSpanKind(SpanKind.CLIENT)
        .setParent(parent)
        .setAttribute(OPERATION_NAME, match.operation())
        .setAttribute(PROVIDER_NAME, match.provider())
        .setAttribute(SERVER_ADDRESS, match.serverAddress())
        .setAttribute(SERVER_PORT, (long) match.serverPort())
        .startSpan();
  }

  /** Records the call's metrics and sets its span attributes; the caller ends the span. */
  public void record(FinishedCall call, Span span) {
    String provider = call.match.provider();
    String operation = call.match.operation();
    String requestModel = orEmpty(call.requestModel);
    String responseModel = orEmpty(call.response.model());
    TokenUsage usage = call.response.usage();
    CallCost callCost = null;
    // Observed with the span current, so histograms can attach it as an exemplar.
    try (Scope ignored = span.makeCurrent()) {
      durations.get(provider, operation, requestModel, responseModel, call.errorType).observe(call.durationSeconds);
      if (!Double.isNaN(call.timeToFirstChunkSeconds)) {
        timeToFirstChunk.get(provider, operation, requestModel, responseModel, call.errorType)
            .observe(call.timeToFirstChunkSeconds);
      }
      if (usage.input >= 0) {
        tokens.get(provider, operation, requestModel, responseModel, "input").observe(usage.input);
      }
      if (usage.output >= 0) {
        tokens.get(provider, operation, requestModel, responseModel, "output").observe(usage.output);
      }
    }
    if (usage.any()) {
      ModelPrice price = prices.find(provider, call.response.model(), call.requestModel);
      if (price == null) {
        unpriced.record(provider, requestModel, responseModel);
      } else {
        callCost = CallCost.of(price, usage);
        addCost(provider, requestModel, "input", callCost.input);
        addCost(provider, requestModel, "output", callCost.output);
        addCost(provider, requestModel, "cache_read", callCost.cacheRead);
        addCost(provider, requestModel, "cache_write", callCost.cacheWrite);
      }
    }
    if (span.isRecording()) {
      setSpanAttributes(span, call, requestModel, callCost);
    }
    if (!call.errorType.isEmpty()) {
      spanExceptions.recordFailure(span, call.errorType, call.error);
    }
  }

  /** A throwable from the agent's own code: counted and logged, never passed to the application. */
  public void internalError(Throwable error) {
    try {
      metrics.recordInstrumentationError("llm");
      AgentLog.get().debug("LLM instrumentation error", error);
    } catch (Throwable ignored) {
      // nothing more can be done without risking the application
    }
  }

  private void addCost(String provider, String requestModel, String tokenType, double usd) {
    if (usd > 0) {
      cost.get(provider, requestModel, tokenType).inc(usd);
    }
  }

  private static void setSpanAttributes(Span span, FinishedCall call, String requestModel, CallCost callCost) {
    ResponseFacts response = call.response;
    span.updateName(requestModel.isEmpty() ? call.match.operation() : call.match.operation() + " " + requestModel);
    span.setAttribute(REQUEST_STREAM, call.requestStream);
    if (!requestModel.isEmpty()) {
      span.setAttribute(REQUEST_MODEL, requestModel);
    }
    if (response.model() != null) {
      span.setAttribute(RESPONSE_MODEL, response.model());
    }
    if (response.id() != null) {
      span.setAttribute(RESPONSE_ID, response.id());
    }
    if (!response.finishReasons().isEmpty()) {
      span.setAttribute(FINISH_REASONS, response.finishReasons());
    }
    TokenUsage usage = response.usage();
    setIfKnown(span, INPUT_TOKENS, usage.input);
    setIfKnown(span, OUTPUT_TOKENS, usage.output);
    setIfKnown(span, CACHE_READ_TOKENS, usage.cacheRead);
    setIfKnown(span, CACHE_CREATION_TOKENS, usage.cacheWrite);
    if (callCost != null) {
      span.setAttribute(COST_USD, callCost.total());
    }
    setContent(span, call);
  }

  /** Prompt and completion text: present only when {@code obs.llm.capture-content=true}. */
  private static void setContent(Span span, FinishedCall call) {
    boolean truncated = call.response.outputTruncated();
    if (call.prompt != null) {
      String input = call.prompt.inputMessagesJson();
      if (input != null) {
        span.setAttribute(INPUT_MESSAGES, input);
      }
      truncated |= call.prompt.truncated();
    }
    if (call.response.outputMessages() != null) {
      span.setAttribute(OUTPUT_MESSAGES, call.response.outputMessages());
    }
    if (truncated) {
      span.setAttribute(CONTENT_TRUNCATED, true);
    }
  }

  private static void setIfKnown(Span span, AttributeKey<Long> key, long count) {
    if (count >= 0) {
      span.setAttribute(key, count);
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
