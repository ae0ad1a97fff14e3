package dev.obsagent.instrumentation.llm.content;

/**
 * Whether prompts and completions are recorded on LLM spans ({@code obs.llm.capture-content},
 * off by default: they are user data), and how much of them. Recorded text is bounded: each of
 * {@code gen_ai.input.messages} and {@code gen_ai.output.messages} holds at most
 * {@link #maxChars()} characters of text, and a cut is marked with
 * {@code obs.gen_ai.content_truncated=true}.
 */
public final class ContentCapture {

  public static final ContentCapture OFF = new ContentCapture(false, 0);

  /** Enough for a typical chat turn; a long document in a prompt is cut, not kept whole. */
  public static final int DEFAULT_MAX_CHARS = 16 * 1024;

  private final boolean enabled;
  private final int maxChars;

  private ContentCapture(boolean enabled, int maxChars) {
    this.enabled = enabled;
    this.maxChars = maxChars;
  }

  public static ContentCapture on(int maxChars) {
    return new ContentCapture(true, maxChars);
  }

  public boolean enabled() {
    return enabled;
  }

  public int maxChars() {
    return maxChars;
  }

  /**
   * The longest JSON string the body parsers must let through whole: a UTF-8 character takes
   * up to 4 bytes, and an escape up to 6 bytes per character.
   */
  public int maxStringBytes() {
    return maxChars * 6;
  }

  public PromptMessages newPromptReader() {
    return new PromptMessages(new TextBudget(maxChars));
  }

  public CompletionText newCompletionText() {
    return new CompletionText(new TextBudget(maxChars));
  }
}
