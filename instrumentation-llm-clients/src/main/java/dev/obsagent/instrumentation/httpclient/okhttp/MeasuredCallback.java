package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * The application's {@link Callback}, wrapped: the measured call ends when OkHttp reports the
 * response headers or the failure, then the application's callback runs with the same arguments
 * (an LLM call's response with its body wrapped). What the application's callback throws
 * propagates exactly as before. Public: the enqueue advice, woven into OkHttp's own package,
 * creates it.
 */
public final class MeasuredCallback implements Callback {

  final Callback delegate;
  final HttpClientCall measured;
  final Call realCall;

  public MeasuredCallback(Callback delegate, HttpClientCall measured, Call realCall) {
    this.delegate = delegate;
    this.measured = measured;
    this.realCall = realCall;
  }

  @Override
  public void onFailure(Call call, IOException e) {
    measured.onError(e);
    delegate.onFailure(call, e);
  }

  @Override
  public void onResponse(Call call, Response response) throws IOException {
    Response handedOn = response;
    try {
      handedOn = OkHttpHelper.responded(measured, response);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, OkHttpHelper.INSTRUMENTATION);
    }
    delegate.onResponse(call, handedOn);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
