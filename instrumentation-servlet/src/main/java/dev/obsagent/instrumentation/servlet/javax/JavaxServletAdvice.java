package dev.obsagent.instrumentation.servlet.javax;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Servlet.service} and {@code Filter.doFilter}: the outermost call of a request
 * starts the measurement, its exit ends it (or hands it to an async listener).
 */
public final class JavaxServletAdvice {

  private JavaxServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpServerExchange onEnter(
      @Advice.Argument(0) ServletRequest request, @Advice.Argument(1) ServletResponse response) {
    return JavaxServletHelper.start(request, response);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpServerExchange exchange,
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response,
      @Advice.Thrown Throwable thrown) {
    if (exchange != null) {
      JavaxServletHelper.end(exchange, request, response, thrown);
    }
  }
}
