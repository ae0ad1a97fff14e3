package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * AWS Bedrock Converse and ConverseStream ({@code metadata} and {@code messageStop} event
 * payloads have the same field paths as the Converse body). Bedrock's {@code inputTokens}
 * EXCLUDES {@code cacheReadInputTokens} and {@code cacheWriteInputTokens}, which it reports
 * apart ({@code totalTokens} is the sum of all four), so the semantic-convention input is their
 * sum. The response names neither model nor id.
 */
public final class BedrockUsage extends UsageExtractor {

  private long input = TokenUsage.UNKNOWN;
  private long output = TokenUsage.UNKNOWN;
  private long cacheRead = TokenUsage.UNKNOWN;
  private long cacheWrite = TokenUsage.UNKNOWN;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    if (path.is("delta", "text") || path.is("output", "message", "content", ITEM, "text")) {
      text(value);
    } else if (path.is("stopReason")) {
      finishReason(value);
    } else if (path.length() == 2 && path.startsWith("usage")) {
      switch (path.last()) {
        case "inputTokens":
          input = count(value);
          break;
        case "outputTokens":
          output = count(value);
          break;
        case "cacheReadInputTokens":
          cacheRead = count(value);
          break;
        case "cacheWriteInputTokens":
          cacheWrite = count(value);
          break;
        default:
      }
    }
  }

  @Override
  protected TokenUsage usage() {
    return new TokenUsage(TokenUsage.sum(input, cacheRead, cacheWrite), output, cacheRead, cacheWrite);
  }
}
