package dev.obsagent.instrumentation.llm.provider;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * Ollama's native API ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}). Counts are
 * in the final object ({@code done: true}), the last NDJSON line of a stream:
 * {@code prompt_eval_count} is the input and {@code eval_count} the output. Ollama has no
 * response id.
 */
public final class OllamaUsage extends UsageExtractor {

  private long promptEval = TokenUsage.UNKNOWN;
  private long eval = TokenUsage.UNKNOWN;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    if (path.is("message", "content")) {
      text(value); // /api/chat
      return;
    }
    if (path.length() != 1) {
      return;
    }
    switch (path.last()) {
      case "model":
        model(value);
        break;
      case "response":
        text(value); // /api/generate
        break;
      case "done_reason":
        finishReason(value);
        break;
      case "prompt_eval_count":
        promptEval = count(value);
        break;
      case "eval_count":
        eval = count(value);
        break;
      default:
    }
  }

  @Override
  protected TokenUsage usage() {
    return new TokenUsage(promptEval, eval, TokenUsage.UNKNOWN, TokenUsage.UNKNOWN);
  }
}
