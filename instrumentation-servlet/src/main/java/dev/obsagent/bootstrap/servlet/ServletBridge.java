package dev.obsagent.bootstrap.servlet;

/** Holds the agent's {@link HttpServerRecorder}; servlet helpers read it on every request. */
public final class ServletBridge {

  /**
   * Request attribute marking a request that is already being measured (or excluded): nested
   * filters, forwards, includes and async re-dispatches see it and do not measure again.
   */
  public static final String REQUEST_ATTRIBUTE = "dev.obsagent.servlet.exchange";

  /**
   * Request attribute where framework instrumentation (JAX-RS) leaves the route template it
   * matched, relative to the servlet path, for the servlet instrumentation to report.
   */
  public static final String ROUTE_ATTRIBUTE = "dev.obsagent.servlet.route";

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
