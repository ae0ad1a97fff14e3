package dev.obsagent.instrumentation.llm.telemetry;

import dev.obsagent.instrumentation.llm.content.PromptMessages;
import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;

/** Everything known about one LLM call once it is over: what telemetry records. Immutable. */
public final class FinishedCall {

  final LlmRequestMatch match;
  final String requestModel;
  final boolean requestStream;
  final ResponseFacts response;
  final String errorType;
  final Throwable error;
  final double durationSeconds;
  final double timeToFirstChunkSeconds;
  final PromptMessages prompt;

  /**
   * @param requestModel the model the request body named, else the one its path named; null if neither
   * @param requestStream whether the request asked for a stream
   * @param response the parsed response, or {@link ResponseFacts#NONE}
   * @param errorType empty on success; the status code or the exception's class name on failure
   * @param error the exception that failed the call, or null
   * @param timeToFirstChunkSeconds {@link Double#NaN} unless the call streamed and a chunk arrived
   * @param prompt the prompt read from the request when content capture is on, else null
   */
  public FinishedCall(
      LlmRequestMatch match, String requestModel, boolean requestStream, ResponseFacts response, String errorType,
      Throwable error, double durationSeconds, double timeToFirstChunkSeconds, PromptMessages prompt) {
    this.match = match;
    this.requestModel = requestModel;
    this.requestStream = requestStream;
    this.response = response;
    this.errorType = errorType;
    this.error = error;
    this.durationSeconds = durationSeconds;
    this.timeToFirstChunkSeconds = timeToFirstChunkSeconds;
    this.prompt = prompt;
  }
}
