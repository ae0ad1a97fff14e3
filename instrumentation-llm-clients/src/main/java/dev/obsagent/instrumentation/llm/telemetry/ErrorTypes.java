package dev.obsagent.instrumentation.llm.telemetry;

/**
 * The {@code error_type} of a client call per CONTRACT.md: empty on success, the status code as
 * text for a 4xx or 5xx answer, the exception's class name for a failure without an answer.
 * Status texts are made once, so labels seen before cost no string building.
 */
public final class ErrorTypes {

  private static final String[] STATUS_TEXT = new String[600];

  static {
    for (int status = 100; status < STATUS_TEXT.length; status++) {
      STATUS_TEXT[status] = Integer.toString(status);
    }
  }

  private ErrorTypes() {}

  public static String of(int status, Throwable error) {
    if (error != null) {
      return error.getClass().getName();
    }
    if (status >= 400) {
      return status < STATUS_TEXT.length ? STATUS_TEXT[status] : Integer.toString(status);
    }
    return "";
  }
}
