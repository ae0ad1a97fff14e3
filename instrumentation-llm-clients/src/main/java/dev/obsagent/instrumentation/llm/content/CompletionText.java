package dev.obsagent.instrumentation.llm.content;

import java.util.Collections;
import java.util.List;

/**
 * The generated text of one response as the provider's extractor meets it: the whole message
 * of a plain response, or the deltas of a stream in order. Bounded by its {@link TextBudget}.
 */
public final class CompletionText {

  private final TextBudget budget;
  private final StringBuilder text = new StringBuilder();
  private boolean any;

  CompletionText(TextBudget budget) {
    this.budget = budget;
  }

  public void append(String piece) {
    if (piece != null) {
      any = true;
      budget.append(text, piece);
    }
  }

  /** {@code gen_ai.output.messages}, or null when the response carried no text. */
  public String outputMessagesJson(List<String> finishReasons) {
    if (!any) {
      return null;
    }
    StringBuilder json = new StringBuilder(text.length() + 96).append('[');
    String finishReason = finishReasons.isEmpty() ? null : finishReasons.get(0);
    MessagesJson.message(json, "assistant", Collections.singletonList(text.toString()), finishReason);
    return json.append(']').toString();
  }

  public boolean truncated() {
    return budget.truncated();
  }
}
