package dev.obsagent.instrumentation.llm.provider;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** What one response said about itself: model, id, finish reasons and token usage. Immutable. */
public final class ResponseFacts {

  /** Nothing known: the body was not read (an error status) or could not be parsed. */
  public static final ResponseFacts NONE =
      new ResponseFacts(null, null, new String[0], new TokenUsage(-1, -1, -1, -1), null, false);

  private final String model;
  private final String id;
  private final String[] finishReasons;
  private final TokenUsage usage;
  private final String outputMessages;
  private final boolean outputTruncated;

  ResponseFacts(
      String model, String id, String[] finishReasons, TokenUsage usage, String outputMessages,
      boolean outputTruncated) {
    this.model = model;
    this.id = id;
    this.finishReasons = finishReasons;
    this.usage = usage;
    this.outputMessages = outputMessages;
    this.outputTruncated = outputTruncated;
  }

  /** The model the provider says answered, or null when the response does not name one. */
  public String model() {
    return model;
  }

  public String id() {
    return id;
  }

  public List<String> finishReasons() {
    return Collections.unmodifiableList(Arrays.asList(finishReasons));
  }

  public TokenUsage usage() {
    return usage;
  }

  /** {@code gen_ai.output.messages} when content capture is on and the response had text, else null. */
  public String outputMessages() {
    return outputMessages;
  }

  /** True when the captured output text was cut at the capture limit. */
  public boolean outputTruncated() {
    return outputTruncated;
  }
}
