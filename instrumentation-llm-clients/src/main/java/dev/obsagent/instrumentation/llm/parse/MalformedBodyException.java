package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;

/** A body that cannot be read as its content type says; the call counts no tokens. */
public final class MalformedBodyException extends IOException {

  private static final long serialVersionUID = 1L;

  public MalformedBodyException(String message) {
    super(message);
  }
}
