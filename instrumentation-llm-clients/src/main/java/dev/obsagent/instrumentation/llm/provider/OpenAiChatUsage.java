package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * OpenAI Chat Completions, Completions and Embeddings, and every API that copies them (Azure
 * OpenAI, Mistral, Ollama's and vLLM's OpenAI endpoints, ...). {@code usage.prompt_tokens}
 * already includes {@code prompt_tokens_details.cached_tokens}, and {@code completion_tokens}
 * includes reasoning tokens: both are the semantic-convention counts as they are. A stream
 * carries usage only in its last chunk, and only when the request asked for it with
 * {@code stream_options.include_usage} (Mistral sends it unasked).
 */
public final class OpenAiChatUsage extends UsageExtractor {

  private long prompt = TokenUsage.UNKNOWN;
  private long completion = TokenUsage.UNKNOWN;
  private long cached = TokenUsage.UNKNOWN;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    switch (path.length()) {
      case 1:
        if (path.is("model")) {
          model(value);
        } else if (path.is("id")) {
          id(value);
        }
        break;
      case 2:
        if (path.is("usage", "prompt_tokens")) {
          prompt = count(value);
        } else if (path.is("usage", "completion_tokens")) {
          completion = count(value);
        }
        break;
      case 3:
        if (path.is("choices", ITEM, "text")) {
          text(value); // legacy completions
        } else if (path.is("choices", ITEM, "finish_reason")) {
          finishReason(value);
        } else if (path.is("usage", "prompt_tokens_details", "cached_tokens")) {
          cached = count(value);
        }
        break;
      case 4:
        if (path.is("choices", ITEM, "message", "content") || path.is("choices", ITEM, "delta", "content")) {
          text(value);
        }
        break;
      default:
    }
  }

  @Override
  protected TokenUsage usage() {
    return new TokenUsage(prompt, completion, cached, TokenUsage.UNKNOWN);
  }
}
