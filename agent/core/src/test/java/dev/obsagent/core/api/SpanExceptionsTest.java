package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpanExceptionsTest {

  @Test
  void stackTraceLeavesMessagesOutByDefault() {
    Exception error = new IllegalStateException("password=hunter2", new RuntimeException("SELECT secret"));
    String trace = SpanExceptions.stackTrace(error, false);
    assertFalse(trace.contains("hunter2"), trace);
    assertFalse(trace.contains("SELECT secret"), trace);
    assertTrue(trace.startsWith("java.lang.IllegalStateException\n\tat "), trace);
    assertTrue(trace.contains("Caused by: java.lang.RuntimeException\n\tat "), trace);
  }

  @Test
  void stackTraceCarriesMessagesWhenOptedIn() {
    String trace = SpanExceptions.stackTrace(new IllegalStateException("boom"), true);
    assertEquals("java.lang.IllegalStateException: boom", trace.substring(0, trace.indexOf('\n')));
  }
}
