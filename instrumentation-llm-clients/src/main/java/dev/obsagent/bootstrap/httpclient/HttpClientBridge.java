package dev.obsagent.bootstrap.httpclient;

import dev.obsagent.bootstrap.CallDepth;

/** Holds the agent's {@link HttpClientRecorder}; HTTP client advice reads it on every call. */
public final class HttpClientBridge {

  /**
   * Nesting of instrumented client calls on this thread, shared by all clients: an SDK whose
   * OkHttp call ends up in another instrumented client, or {@code HttpClient.send} calling
   * {@code sendAsync}, is measured once, at the outermost call.
   */
  public static final CallDepth CALL_DEPTH = new CallDepth();

  private static volatile HttpClientRecorder recorder = HttpClientRecorder.NOOP;

  private HttpClientBridge() {}

  public static HttpClientRecorder recorder() {
    return recorder;
  }

  /**
   * Installs a recorder behind a guard: whatever it, or a call it started, throws is counted and
   * never reaches the application, also where a client calls it outside any advice.
   */
  public static void install(HttpClientRecorder newRecorder) {
    recorder =
        newRecorder == HttpClientRecorder.NOOP || newRecorder instanceof GuardedRecorder
            ? newRecorder
            : new GuardedRecorder(newRecorder);
  }
}
