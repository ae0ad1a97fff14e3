package dev.obsagent.demo;

/** What /fail throws: its class name, not its message, is what the agent reports. */
public final class DemoFailure extends RuntimeException {

  public DemoFailure(String message) {
    super(message);
  }
}
