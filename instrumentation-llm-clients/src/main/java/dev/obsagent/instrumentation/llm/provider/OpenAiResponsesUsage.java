package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * OpenAI Responses API. The response object is the body itself, or, in a stream, the
 * {@code response} field of each event; its usage is filled in only by the terminal events
 * ({@code response.completed}, {@code response.incomplete}, {@code response.failed}).
 * {@code input_tokens} includes {@code input_tokens_details.cached_tokens} and
 * {@code output_tokens} includes reasoning. There is no finish reason: the terminal
 * {@code status} stands in for it.
 */
public final class OpenAiResponsesUsage extends UsageExtractor {

  private long input = TokenUsage.UNKNOWN;
  private long output = TokenUsage.UNKNOWN;
  private long cached = TokenUsage.UNKNOWN;
  private int textDeltaDocument = -1;

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    int base = path.length() > 1 && path.startsWith("response") ? 1 : 0;
    int length = path.length() - base;
    String first = path.at(base);
    if (base == 0 && path.is("output", ITEM, "content", ITEM, "text")) {
      text(value); // a whole response; a stream's deltas below already carried this text
    } else if (length == 1 && base == 0 && first.equals("type")) {
      if (value.isString() && value.text().equals("response.output_text.delta")) {
        textDeltaDocument = documentIndex();
      }
    } else if (length == 1 && base == 0 && first.equals("delta")) {
      if (textDeltaDocument == documentIndex()) {
        text(value); // OpenAI sends the event type before its delta
      }
    } else if (length == 1) {
      if (first.equals("model")) {
        model(value);
      } else if (first.equals("id")) {
        id(value);
      } else if (first.equals("status") && value.isString() && isTerminal(value.text())) {
        finishReason(value);
      }
    } else if (first.equals("usage")) {
      String second = path.at(base + 1);
      if (length == 2 && second.equals("input_tokens")) {
        input = count(value);
      } else if (length == 2 && second.equals("output_tokens")) {
        output = count(value);
      } else if (length == 3 && second.equals("input_tokens_details") && path.last().equals("cached_tokens")) {
        cached = count(value);
      }
    }
  }

  /** Stream events report {@code in_progress} first; only the final status is a finish reason. */
  private static boolean isTerminal(String status) {
    return !status.equals("in_progress") && !status.equals("queued");
  }

  @Override
  protected TokenUsage usage() {
    return new TokenUsage(input, output, cached, TokenUsage.UNKNOWN);
  }
}
