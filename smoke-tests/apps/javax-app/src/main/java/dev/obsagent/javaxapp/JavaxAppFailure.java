package dev.obsagent.javaxapp;

/** What /fail throws: the agent reports this class name as error_type. */
public final class JavaxAppFailure extends RuntimeException {

  public JavaxAppFailure(String message) {
    super(message);
  }
}
