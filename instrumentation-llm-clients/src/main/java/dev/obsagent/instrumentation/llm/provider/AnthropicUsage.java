package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * Anthropic Messages. Its {@code input_tokens} EXCLUDES cache reads and writes, so the
 * semantic-convention input is {@code input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens}. In a stream, {@code message_start} carries the initial usage
 * under {@code message.usage} (its {@code output_tokens} is a placeholder, ignored) and each
 * {@code message_delta} carries CUMULATIVE usage at the top level: the last value of each field
 * wins. Output tokens therefore come only from top-level {@code usage}: the body, or a
 * {@code message_delta}.
 */
public final class AnthropicUsage extends UsageExtractor {

  private long input = TokenUsage.UNKNOWN;
  private long output = TokenUsage.UNKNOWN;
  private long cacheRead = TokenUsage.UNKNOWN;
  private long cacheCreation = TokenUsage.UNKNOWN;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    int length = path.length();
    if (length == 1) {
      if (path.is("model")) {
        model(value);
      } else if (path.is("id")) {
        id(value);
      } else if (path.is("stop_reason")) {
        finishReason(value);
      }
    } else if (length == 2) {
      if (path.startsWith("usage")) {
        usageField(path.last(), value, true);
      } else if (path.is("message", "model")) {
        model(value);
      } else if (path.is("message", "id")) {
        id(value);
      } else if (path.is("delta", "text")) {
        text(value); // content_block_delta of a stream
      } else if (path.is("delta", "stop_reason")) {
        finishReason(value);
      }
    } else if (path.is("content", ITEM, "text")) {
      text(value);
    } else if (length == 3 && path.at(0).equals("message") && path.at(1).equals("usage")) {
      usageField(path.last(), value, false);
    }
  }

  private void usageField(String name, JsonScalar value, boolean topLevel) throws IOException {
    long count = count(value);
    if (count < 0) {
      return; // message_delta may send null for fields it does not update
    }
    switch (name) {
      case "input_tokens":
        input = count;
        break;
      case "cache_read_input_tokens":
        cacheRead = count;
        break;
      case "cache_creation_input_tokens":
        cacheCreation = count;
        break;
      case "output_tokens":
        if (topLevel) {
          output = count;
        }
        break;
      default:
    }
  }

  @Override
  protected TokenUsage usage() {
    return new TokenUsage(TokenUsage.sum(input, cacheRead, cacheCreation), output, cacheRead, cacheCreation);
  }
}
