package dev.obsagent.bootstrap.httpclient.jdk;

/**
 * What the {@code java.net.http} advice calls. That module lives in the platform class loader,
 * which bootstrap classes cannot see, so nothing here names one of its types: requests and
 * handlers cross as {@code Object}, and the implementation, in the agent's own loader (a child of
 * the platform loader), does all the work with them.
 */
public final class JavaHttpClientBridge {

  /** Starts measuring one {@code HttpClient} send; installed by the agent at start. */
  public interface Starter {
    /**
     * @param request the {@code HttpRequest} the application sends
     * @param bodyHandler its {@code HttpResponse.BodyHandler}
     * @return null when the send is not measured
     */
    JavaHttpClientSend start(Object request, Object bodyHandler);
  }

  private static volatile Starter starter;

  private JavaHttpClientBridge() {}

  /** Null until the agent installed its starter, or when the send is not measured. */
  public static JavaHttpClientSend start(Object request, Object bodyHandler) {
    Starter current = starter;
    return current == null ? null : current.start(request, bodyHandler);
  }

  public static void install(Starter newStarter) {
    starter = newStarter;
  }
}
