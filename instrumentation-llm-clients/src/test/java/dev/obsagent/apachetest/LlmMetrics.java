package dev.obsagent.apachetest;

import static dev.obsagent.testing.Scrape.labels;

import dev.obsagent.testing.Scrape;

/** The gen_ai series of one provider, request model and response model, read from the agent. */
final class LlmMetrics {

  final String provider;
  final String operation;
  final String requestModel;
  final String responseModel;

  LlmMetrics(String provider, String operation, String requestModel, String responseModel) {
    this.provider = provider;
    this.operation = operation;
    this.requestModel = requestModel;
    this.responseModel = responseModel;
  }

  /** The values a test compares before and after one call. */
  final class Snapshot {
    final double calls;
    final double errors429;
    final double inputTokens;
    final double outputTokens;
    final double tokenSamples;
    final double firstChunks;
    final double costInput;
    final double costOutput;
    final double costCacheRead;

    Snapshot(Scrape scrape, String errorType) {
      calls = scrape.value("gen_ai_client_operation_duration_seconds_count", withError(errorType));
      errors429 = scrape.value("gen_ai_client_operation_duration_seconds_count", withError("429"));
      inputTokens = scrape.value("gen_ai_client_token_usage_sum", tokens("input"));
      outputTokens = scrape.value("gen_ai_client_token_usage_sum", tokens("output"));
      tokenSamples = scrape.value("gen_ai_client_token_usage_count", tokens("input"))
          + scrape.value("gen_ai_client_token_usage_count", tokens("output"));
      firstChunks = scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", withError(""));
      costInput = scrape.value("gen_ai_client_cost_usd_total", costLabels("input"));
      costOutput = scrape.value("gen_ai_client_cost_usd_total", costLabels("output"));
      costCacheRead = scrape.value("gen_ai_client_cost_usd_total", costLabels("cache_read"));
    }

    double cost() {
      return costInput + costOutput + costCacheRead;
    }
  }

  Snapshot snapshot(String errorType) {
    return new Snapshot(ApacheTestSupport.agent().scrape(), errorType);
  }

  Snapshot snapshot() {
    return snapshot("");
  }

  private java.util.Map<String, String> withError(String errorType) {
    return labels("gen_ai_provider_name", provider, "gen_ai_operation_name", operation,
        "gen_ai_request_model", requestModel, "gen_ai_response_model", responseModel, "error_type", errorType);
  }

  private java.util.Map<String, String> tokens(String type) {
    return labels("gen_ai_provider_name", provider, "gen_ai_operation_name", operation,
        "gen_ai_request_model", requestModel, "gen_ai_response_model", responseModel, "gen_ai_token_type", type);
  }

  private java.util.Map<String, String> costLabels(String type) {
    return labels("gen_ai_provider_name", provider, "gen_ai_request_model", requestModel, "gen_ai_token_type", type);
  }
}
