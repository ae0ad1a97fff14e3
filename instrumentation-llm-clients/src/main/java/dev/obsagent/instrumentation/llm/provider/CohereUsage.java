package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * Cohere v2 Chat. Usage sits at {@code usage} in the body, or at {@code delta.usage} in the
 * stream's {@code message-end} event. Cohere reports two counts: {@code billed_units} (what the
 * request is billed for) and {@code tokens} (everything the model processed, including the
 * prompt template Cohere adds). The agent uses {@code billed_units}, so that tokens and cost
 * agree with the invoice, and falls back to {@code tokens} when no billed units are given.
 * The response does not name the model.
 */
public final class CohereUsage extends UsageExtractor {

  private long billedInput = TokenUsage.UNKNOWN;
  private long billedOutput = TokenUsage.UNKNOWN;
  private long tokensInput = TokenUsage.UNKNOWN;
  private long tokensOutput = TokenUsage.UNKNOWN;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    int length = path.length();
    if (length == 1) {
      if (path.is("id")) {
        id(value);
      } else if (path.is("finish_reason")) {
        finishReason(value);
      }
      return;
    }
    if (path.is("message", "content", ITEM, "text") || path.is("delta", "message", "content", "text")) {
      text(value);
      return;
    }
    int base = path.startsWith("delta") ? 1 : 0;
    if (length == base + 1 && path.last().equals("finish_reason")) {
      finishReason(value);
    } else if (length == base + 3 && path.at(base).equals("usage")) {
      usageField(path.at(base + 1), path.last(), count(value));
    }
  }

  private void usageField(String group, String name, long count) {
    boolean input = name.equals("input_tokens");
    if (!input && !name.equals("output_tokens")) {
      return;
    }
    if (group.equals("billed_units")) {
      if (input) {
        billedInput = count;
      } else {
        billedOutput = count;
      }
    } else if (group.equals("tokens")) {
      if (input) {
        tokensInput = count;
      } else {
        tokensOutput = count;
      }
    }
  }

  @Override
  protected TokenUsage usage() {
    boolean billed = billedInput >= 0 || billedOutput >= 0;
    return billed
        ? new TokenUsage(billedInput, billedOutput, TokenUsage.UNKNOWN, TokenUsage.UNKNOWN)
        : new TokenUsage(tokensInput, tokensOutput, TokenUsage.UNKNOWN, TokenUsage.UNKNOWN);
  }
}
