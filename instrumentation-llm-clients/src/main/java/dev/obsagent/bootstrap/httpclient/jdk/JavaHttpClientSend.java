package dev.obsagent.bootstrap.httpclient.jdk;

/**
 * One measured {@code HttpClient} send, as the advice sees it: what to send in place of the
 * application's request and body handler, and the hand-over of the response future.
 */
public abstract class JavaHttpClientSend {

  /** The {@code HttpRequest} to send: the application's, with the trace headers added. */
  public abstract Object request();

  /** The {@code HttpResponse.BodyHandler} to use: the application's, observed. */
  public abstract Object bodyHandler();

  /**
   * The send returned its {@code CompletableFuture} of the response, or threw. Never throws.
   */
  public abstract void sent(Object responseFuture, Throwable thrown);
}
