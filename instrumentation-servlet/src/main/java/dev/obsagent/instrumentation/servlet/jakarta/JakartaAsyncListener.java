package dev.obsagent.instrumentation.servlet.jakarta;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Ends the measurement of an async request when it completes, fails or times out. The container
 * calls it, outside any advice: whatever the agent throws here is counted and kept from the
 * container (which would log it, or rethrow an error such as a {@code StackOverflowError}).
 */
public final class JakartaAsyncListener implements AsyncListener {

  private final HttpServerExchange exchange;
  private final HttpServletRequest request;
  private final HttpServletResponse response;

  public JakartaAsyncListener(HttpServerExchange exchange, HttpServletRequest request, HttpServletResponse response) {
    this.exchange = exchange;
    this.request = request;
    this.response = response;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    finish(null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The container answers a timeout itself (500 by default); the span ends when it completes.
  }

  @Override
  public void onError(AsyncEvent event) {
    finish(event.getThrowable());
  }

  private void finish(Throwable thrown) {
    try {
      JakartaServletHelper.finish(exchange, request, response, thrown);
    } catch (Throwable internal) {
      InstrumentationErrors.record(internal, "servlet");
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // A re-started async cycle keeps this listener only if re-registered: do so.
    event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
  }
}
