package dev.obsagent.instrumentation.llm.provider;

import dev.obsagent.instrumentation.llm.content.CompletionText;
import dev.obsagent.instrumentation.llm.parse.JsonFieldHandler;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one provider's response documents (whole body or stream events) by path and, at the end,
 * reports {@link ResponseFacts} with the usage translated to the semantic-convention meaning.
 * Subclasses only say which paths carry what; the bookkeeping is here.
 */
public abstract class UsageExtractor implements JsonFieldHandler {

  private static final int MAX_FINISH_REASONS = 16;

  private String model;
  private String id;
  private String[] finishReasons = new String[2];
  private int finishReasonCount;
  private int documents;
  private CompletionText completion;

  @Override
  public void onDocumentStart() {
    documents++;
  }

  /** Collect the generated text too ({@code obs.llm.capture-content}); off unless called. */
  public final void captureCompletion(CompletionText target) {
    this.completion = target;
  }

  /** A piece of generated text: kept only when content capture is on. */
  protected final void text(JsonScalar value) throws IOException {
    if (completion != null && value.isString()) {
      completion.append(value.text());
    }
  }

  /** Number of documents begun so far: lets a subclass tell stream events apart. */
  protected final int documentIndex() {
    return documents;
  }

  /** Keeps the first model named: stream chunks repeat it, and reading it once saves allocations. */
  protected final void model(JsonScalar value) throws IOException {
    if (model == null && value.isString()) {
      model = value.text();
    }
  }

  protected final void id(JsonScalar value) throws IOException {
    if (id == null && value.isString()) {
      id = value.text();
    }
  }

  protected final void finishReason(JsonScalar value) throws IOException {
    if (value.isString() && finishReasonCount < MAX_FINISH_REASONS) {
      if (finishReasonCount == finishReasons.length) {
        finishReasons = Arrays.copyOf(finishReasons, finishReasons.length * 2);
      }
      finishReasons[finishReasonCount++] = value.text();
    }
  }

  /** A token count, or {@link TokenUsage#UNKNOWN} for null or anything but a whole number. */
  protected static long count(JsonScalar value) throws IOException {
    if (!value.isWholeNumber()) {
      return TokenUsage.UNKNOWN;
    }
    long count = value.longValue();
    return count < 0 ? TokenUsage.UNKNOWN : count;
  }

  /** The usage this response reported, in the semantic-convention meaning. */
  protected abstract TokenUsage usage();

  public final ResponseFacts facts() {
    String[] reasons = Arrays.copyOf(finishReasons, finishReasonCount);
    String outputMessages = completion == null ? null : completion.outputMessagesJson(Arrays.asList(reasons));
    boolean truncated = completion != null && completion.truncated();
    return new ResponseFacts(model, id, reasons, usage(), outputMessages, truncated);
  }
}
