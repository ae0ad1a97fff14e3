package dev.obsagent.okhttptest;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the agent recorded for outgoing HTTP and LLM calls: exact series of CONTRACT.md's metrics
 * and the CLIENT spans. One agent serves the whole test JVM, so counts are compared as deltas.
 */
public final class Observed {

  public static final String HTTP_COUNT = "http_client_request_duration_seconds_count";
  public static final String LLM_COUNT = "gen_ai_client_operation_duration_seconds_count";
  public static final String TTFC_COUNT = "gen_ai_client_operation_time_to_first_chunk_seconds_count";
  public static final String TOKENS_SUM = "gen_ai_client_token_usage_sum";
  public static final String TOKENS_COUNT = "gen_ai_client_token_usage_count";
  public static final String COST = "gen_ai_client_cost_usd_total";

  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  public static final AttributeKey<Long> CACHE_CREATION_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("obs.gen_ai.cost_usd");

  private static Observed instance;

  public final InProcessAgent agent;

  private Observed(InProcessAgent agent) {
    this.agent = agent;
  }

  /** The in-process agent with its default configuration, the same for every test class of this JVM. */
  public static synchronized Observed install() {
    OkHttpLine.assertIsTheExpectedOne();
    if (instance == null) {
      instance = new Observed(InProcessAgent.install(Map.of()));
    }
    return instance;
  }

  public Scrape scrape() {
    return agent.scrape();
  }

  /** Outgoing HTTP calls recorded under exactly these labels. */
  public double httpCount(String method, String host, String status, String errorType) {
    return scrape().value(HTTP_COUNT, labels(
        "http_request_method", method, "server_address", host, "http_response_status_code", status, "error_type", errorType));
  }

  public double instrumentationErrors(String instrumentation) {
    return scrape().value("obs_agent_instrumentation_errors_total", labels("instrumentation", instrumentation));
  }

  /** Every throwable the agent suppressed, whatever the module. */
  public double instrumentationErrors() {
    return scrape().find("obs_agent_instrumentation_errors_total", Map.of()).stream().mapToDouble(s -> s.value).sum();
  }

  public static Map<String, String> genAi(String provider, String operation, String requestModel, String responseModel, String errorType) {
    return labels("gen_ai_provider_name", provider, "gen_ai_operation_name", operation, "gen_ai_request_model", requestModel,
        "gen_ai_response_model", responseModel, "error_type", errorType);
  }

  public static Map<String, String> tokens(String provider, String operation, String requestModel, String responseModel, String type) {
    return labels("gen_ai_provider_name", provider, "gen_ai_operation_name", operation, "gen_ai_request_model", requestModel,
        "gen_ai_response_model", responseModel, "gen_ai_token_type", type);
  }

  public static Map<String, String> cost(String provider, String requestModel, String type) {
    return labels("gen_ai_provider_name", provider, "gen_ai_request_model", requestModel, "gen_ai_token_type", type);
  }

  /** The CLIENT spans finished so far, waiting until {@code count} of them are there. */
  public List<SpanData> awaitClientSpans(int count) {
    return agent.awaitSpans(spans -> clientSpans(spans).size() >= count, Duration.ofSeconds(10)).stream()
        .filter(span -> span.getKind() == SpanKind.CLIENT)
        .collect(Collectors.toList());
  }

  public List<SpanData> clientSpans() {
    return clientSpans(agent.spans());
  }

  private static List<SpanData> clientSpans(List<SpanData> spans) {
    return spans.stream().filter(span -> span.getKind() == SpanKind.CLIENT).collect(Collectors.toList());
  }

  /** The one HTTP span (it has {@code http.request.method}) among the finished CLIENT spans. */
  public SpanData httpSpan() {
    List<SpanData> http = clientSpans().stream().filter(s -> s.getAttributes().get(METHOD) != null).collect(Collectors.toList());
    assertEquals(1, http.size(), "one HTTP CLIENT span: " + http);
    return http.get(0);
  }

  /** The one gen_ai span among the finished CLIENT spans, waiting for it (it ends with the body). */
  public SpanData llmSpan() {
    List<SpanData> llm =
        agent.awaitSpans(spans -> spans.stream().anyMatch(s -> s.getAttributes().get(GEN_AI_OPERATION) != null), Duration.ofSeconds(10))
            .stream().filter(s -> s.getAttributes().get(GEN_AI_OPERATION) != null).collect(Collectors.toList());
    assertEquals(1, llm.size(), "one gen_ai CLIENT span: " + llm);
    return llm.get(0);
  }

  /** The W3C {@code traceparent} that names this span as the parent. */
  public static String traceparentOf(SpanData span) {
    assertNotNull(span);
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }
}
