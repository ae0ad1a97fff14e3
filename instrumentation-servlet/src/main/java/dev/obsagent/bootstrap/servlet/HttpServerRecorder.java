package dev.obsagent.bootstrap.servlet;

/**
 * Bridge from servlet advice (in the application's class loader) to the agent: starts measuring
 * one incoming HTTP request. Only JDK types cross it.
 */
public abstract class HttpServerRecorder {

  /** Used until the agent installs the real recorder: measures nothing. */
  static final HttpServerRecorder NOOP =
      new HttpServerRecorder() {
        private final String[] none = new String[0];

        @Override
        public String[] propagationHeaders() {
          return none;
        }

        @Override
        public HttpServerExchange start(
            String method, String scheme, String serverName, int serverPort, String path,
            String userAgent, String[] propagationHeaderValues) {
          return null;
        }
      };

  /** The request headers the configured propagators read ({@code traceparent}, ...). */
  public abstract String[] propagationHeaders();

  /**
   * Starts a measurement and makes its span current on this thread; null when the path is
   * excluded by {@code obs.servlet.exclude-paths}.
   *
   * @param propagationHeaderValues the values of {@link #propagationHeaders()}, in that order;
   *     null when the request carries none of them
   */
  public abstract HttpServerExchange start(
      String method, String scheme, String serverName, int serverPort, String path,
      String userAgent, String[] propagationHeaderValues);
}
