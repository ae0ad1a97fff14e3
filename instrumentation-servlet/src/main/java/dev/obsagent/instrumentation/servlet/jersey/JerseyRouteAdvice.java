package dev.obsagent.instrumentation.servlet.jersey;

import dev.obsagent.core.api.Advice;
import org.glassfish.jersey.server.internal.process.RequestProcessingContext;

/**
 * Woven into Jersey's {@code ResourceMethodInvoker.apply}, which Jersey calls once routing has
 * found the resource method and before it runs it: the request's matched templates are final
 * there, sub-resource locators included. A request that matches no resource method (a 404) never
 * gets here and keeps the servlet mapping as its route.
 */
public final class JerseyRouteAdvice {

  private JerseyRouteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) RequestProcessingContext context) {
    JerseyRoutes.record(context.request());
  }
}
