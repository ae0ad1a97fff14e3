package dev.obsagent.instrumentation.llm.telemetry;

import dev.obsagent.core.api.HttpLabels;

/**
 * The {@code error_type} of a client call per CONTRACT.md: empty on success, the status code as
 * text for a 4xx or 5xx answer, the exception's class name for a failure without an answer.
 * Status texts are made once, so labels seen before cost no string building.
 */
public final class ErrorTypes {

  private ErrorTypes() {}

  public static String of(int status, Throwable error) {
    if (error != null) {
      return error.getClass().getName();
    }
    if (status >= 400) {
      return HttpLabels.status(status);
    }
    return "";
  }
}
