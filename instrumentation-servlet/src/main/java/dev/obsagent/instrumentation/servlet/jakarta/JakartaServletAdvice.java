package dev.obsagent.instrumentation.servlet.jakarta;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Servlet.service} and {@code Filter.doFilter}: the outermost call of a request
 * starts the measurement, its exit ends it (or hands it to an async listener).
 */
public final class JakartaServletAdvice {

  private JakartaServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpServerExchange onEnter(
      @Advice.Argument(0) ServletRequest request, @Advice.Argument(1) ServletResponse response) {
    return JakartaServletHelper.start(request, response);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpServerExchange exchange,
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response,
      @Advice.Thrown Throwable thrown) {
    if (exchange != null) {
      JakartaServletHelper.end(exchange, request, response, thrown);
    }
  }
}
