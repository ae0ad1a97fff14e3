package dev.obsagent.bootstrap.httpclient;

/**
 * Bridge from HTTP client advice (java.net.http in the bootstrap loader, OkHttp and Apache
 * HttpClient in the application's loaders) to the agent: starts measuring one outgoing call.
 * Only JDK types cross it.
 */
public abstract class HttpClientRecorder {

  /** Used until the agent installs the real recorder: measures nothing. */
  static final HttpClientRecorder NOOP =
      new HttpClientRecorder() {
        @Override
        public HttpClientCall start(
            String instrumentation, String method, String scheme, String host, int port, String path) {
          return null;
        }
      };

  /**
   * Starts measuring one logical call: the application's own call, with every retry and
   * redirect the client makes inside it. Its span is a child of the context current now.
   *
   * @param instrumentation the module name ({@code okhttp}, ...), for counting the agent's own errors
   * @param method the request method as sent
   * @param scheme {@code http} or {@code https}
   * @param port the port, or -1 for the scheme's default
   * @param path the request path without its query string
   * @return null when the call is not measured (made by the agent itself, or the agent failed)
   */
  public abstract HttpClientCall start(
      String instrumentation, String method, String scheme, String host, int port, String path);
}
