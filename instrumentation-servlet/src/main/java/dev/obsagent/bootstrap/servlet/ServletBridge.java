package dev.obsagent.bootstrap.servlet;

/** Holds the agent's {@link HttpServerRecorder}; servlet helpers read it on every request. */
public final class ServletBridge {

  /**
   * Request attribute marking a request that is already being measured (or excluded): nested
   * filters, forwards, includes and async re-dispatches see it and do not measure again.
   */
  public static final String REQUEST_ATTRIBUTE = "dev.obsagent.servlet.exchange";

  /** The attribute value for an excluded request. */
  public static final Object EXCLUDED = new Object();

  private static volatile HttpServerRecorder recorder = HttpServerRecorder.NOOP;

  private ServletBridge() {}

  public static HttpServerRecorder recorder() {
    return recorder;
  }

  public static void install(HttpServerRecorder newRecorder) {
    recorder = newRecorder;
  }
}
