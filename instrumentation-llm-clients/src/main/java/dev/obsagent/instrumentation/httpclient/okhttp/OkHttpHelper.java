package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.internal.http.RealInterceptorChain;

/**
 * What the OkHttp advice does, with OkHttp types: starting a call from its request, adding the
 * trace headers to the request as it enters the interceptor chain, ending the call at the
 * response headers and, for LLM calls, wrapping the bodies. Injected into OkHttp's class loader.
 *
 * <p>The measured call a thread is about to run sits in {@link #PENDING} from {@code execute}
 * (or {@code AsyncCall.run}) until its first {@code proceed} takes it: the request is immutable
 * and the call's own field is final, so the headers go onto the copy that {@code proceed} passes
 * down the chain.
 */
public final class OkHttpHelper {

  static final String INSTRUMENTATION = "okhttp";

  /** A measured call on its way to its first {@code proceed}, on this thread. */
  static final class Pending {
    final Call realCall;
    final HttpClientCall measured;
    final boolean async;
    final Pending previous;

    Pending(Call realCall, HttpClientCall measured, boolean async, Pending previous) {
      this.realCall = realCall;
      this.measured = measured;
      this.async = async;
      this.previous = previous;
    }
  }

  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

  private OkHttpHelper() {}

  /** Starts measuring the call's request; null when it is not measured. */
  public static HttpClientCall start(Call call) {
    if (call.isExecuted()) {
      return null; // OkHttp will refuse it ("Already Executed"): no call is made
    }
    Request request = call.request();
    HttpUrl url = request.url();
    String scheme = url.scheme();
    int port = url.port();
    if (port == ("https".equals(scheme) ? 443 : 80)) {
      port = -1;
    }
    return HttpClientBridge.recorder().start(INSTRUMENTATION, request.method(), scheme, url.host(), port, url.encodedPath());
  }

  /** {@code execute()}: starts the call, and remembers it for its first {@code proceed} on this thread. */
  public static HttpClientCall startSync(Call call) {
    HttpClientCall measured = start(call);
    if (measured != null) {
      PENDING.set(new Pending(call, measured, false, PENDING.get()));
    }
    return measured;
  }

  /** {@code execute()} returned or threw: ends the call; returns the response the application gets. */
  public static Response endSync(HttpClientCall measured, Response response, Throwable thrown) {
    forget(measured);
    if (thrown != null || response == null) {
      measured.onError(thrown != null ? thrown : new IllegalStateException("no response"));
      return response;
    }
    return responded(measured, response);
  }

  /** {@code AsyncCall.run()} starts on the dispatcher's thread; returns what to hand to {@link #exitAsync}. */
  public static Object enterAsync(Callback callback) {
    if (!(callback instanceof MeasuredCallback)) {
      return null;
    }
    MeasuredCallback measured = (MeasuredCallback) callback;
    Pending pending = new Pending(measured.realCall, measured.measured, true, PENDING.get());
    PENDING.set(pending);
    return pending;
  }

  /** {@code AsyncCall.run()} ended: its call no longer waits for a {@code proceed}. */
  public static void exitAsync(Object pending) {
    if (pending != null) {
      forget(((Pending) pending).measured);
    }
  }

  /** True while {@code call} is the asynchronous measured call this thread is about to run. */
  public static boolean isPendingAsync(Call call) {
    Pending pending = PENDING.get();
    return pending != null && pending.async && pending.realCall == call;
  }

  /**
   * The request the chain's first {@code proceed} passes on: for the measured call this thread
   * runs, a copy with the trace headers (and, for LLM calls, an observed body); otherwise the
   * request itself.
   */
  public static Request decorate(RealInterceptorChain chain, Request request) {
    Pending pending = PENDING.get();
    if (pending == null || request == null || pending.realCall != chain.call()) {
      return request;
    }
    PENDING.set(pending.previous);
    HttpClientCall measured = pending.measured;
    String[] headers = measured.propagationHeaders();
    boolean observeBody = false;
    RequestBody body = request.body();
    if (measured.observesBodies() && body != null && !body.isDuplex()) {
      observeBody = true;
    }
    if (headers.length == 0 && !observeBody) {
      return request;
    }
    Request.Builder builder = request.newBuilder();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    if (observeBody) {
      builder.method(request.method(), new ObservedRequestBody(body, measured));
    }
    return builder.build();
  }

  /**
   * The response headers arrived: the HTTP measurement ends. An LLM call's body is handed on
   * wrapped, so that what the application reads is observed; any other response is untouched.
   */
  static Response responded(HttpClientCall measured, Response response) {
    measured.onResponse(response.code(), response.header("Content-Type"), response.header("Content-Encoding"));
    if (!measured.observesBodies()) {
      return response;
    }
    try {
      ResponseBody body = response.body();
      if (body == null) {
        measured.onResponseComplete();
        return response;
      }
      return response.newBuilder().body(new ObservedResponseBody(body, measured)).build();
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
      measured.onError(error);
      return response;
    }
  }

  /** Drops the call from this thread's pending calls if it is still there (it never reached {@code proceed}). */
  private static void forget(HttpClientCall measured) {
    Pending pending = PENDING.get();
    if (pending != null && pending.measured == measured) {
      if (pending.previous == null) {
        PENDING.remove();
      } else {
        PENDING.set(pending.previous);
      }
    }
  }
}
