package dev.obsagent.core.api;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Marks a span failed and records the exception event. Exception messages often quote SQL or
 * user data, so by default the event carries {@code exception.type} and the stack frames only;
 * {@code obs.exceptions.capture-message=true} adds {@code exception.message}.
 */
public final class SpanExceptions {

  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  private final boolean captureMessage;

  public SpanExceptions(boolean captureMessage) {
    this.captureMessage = captureMessage;
  }

  /** Sets status ERROR and {@code error.type}; adds the exception event when there is one. */
  public void recordFailure(Span span, String errorType, Throwable error) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, errorType);
    if (error != null) {
      AttributesBuilder event = Attributes.builder();
      event.put(EXCEPTION_TYPE, error.getClass().getName());
      if (captureMessage && error.getMessage() != null) {
        event.put(EXCEPTION_MESSAGE, error.getMessage());
      }
      event.put(EXCEPTION_STACKTRACE, stackTrace(error, captureMessage));
      span.addEvent("exception", event.build());
    }
  }

  /** Like {@link Throwable#printStackTrace()}, but messages appear only when asked for. */
  static String stackTrace(Throwable error, boolean withMessages) {
    StringBuilder text = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable current = error;
    String prefix = "";
    while (current != null && seen.add(current)) {
      text.append(prefix).append(current.getClass().getName());
      if (withMessages && current.getMessage() != null) {
        text.append(": ").append(current.getMessage());
      }
      text.append('\n');
      for (StackTraceElement frame : current.getStackTrace()) {
        text.append("\tat ").append(frame).append('\n');
      }
      current = current.getCause();
      prefix = "Caused by: ";
    }
    return text.toString();
  }
}
