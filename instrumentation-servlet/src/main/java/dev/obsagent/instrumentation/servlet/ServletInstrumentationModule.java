package dev.obsagent.instrumentation.servlet;

import static dev.obsagent.core.api.MethodMatchers.isAbstract;
import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.not;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static dev.obsagent.core.api.MethodMatchers.takesArguments;

import dev.obsagent.bootstrap.servlet.ServletBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Servlets and filters of {@code javax.servlet} (3.0+) and {@code jakarta.servlet} (5.0+): the
 * outermost {@code Servlet.service} or {@code Filter.doFilter} call of a request is measured.
 * Frameworks on top supply the route template: Spring MVC through its own request attribute,
 * Jersey through a small hook of ours.
 */
public final class ServletInstrumentationModule implements InstrumentationModule {

  private static final String PACKAGE = "dev.obsagent.instrumentation.servlet.";

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    List<TypeInstrumentation> instrumentations = new ArrayList<>();
    addFlavour(instrumentations, "jakarta.servlet", PACKAGE + "jakarta.Jakarta");
    addFlavour(instrumentations, "javax.servlet", PACKAGE + "javax.Javax");
    instrumentations.add(jerseyRoutes());
    return instrumentations;
  }

  /**
   * JAX-RS on Jersey, 2 (javax) and 3 (jakarta), tested on 2.47 and 3.1.11: the matched resource
   * template becomes the route, since the servlet mapping alone ({@code /api/*}) says little.
   * Jersey sets no request attribute for it, so advice where Jersey invokes the resource method
   * leaves one. Older Jersey 2 releases whose {@code ResourceMethodInvoker.apply} takes no
   * {@code RequestProcessingContext} are not matched and keep the servlet mapping.
   */
  private static TypeInstrumentation jerseyRoutes() {
    String processingContext = "org.glassfish.jersey.server.internal.process.RequestProcessingContext";
    return TypeInstrumentation.forTypesNamed("org.glassfish.jersey.server.model.ResourceMethodInvoker")
        .whenClassVisible(processingContext)
        .advice(
            named("apply").and(takesArguments(1)).and(takesArgument(0, processingContext)),
            PACKAGE + "jersey.JerseyRouteAdvice")
        .helpers(PACKAGE + "jersey.JerseyRoutes")
        .build();
  }

  private static void addFlavour(List<TypeInstrumentation> instrumentations, String api, String classPrefix) {
    String[] helpers = {classPrefix + "ServletHelper", classPrefix + "AsyncListener"};
    instrumentations.add(
        TypeInstrumentation.forClassesExtending(api + ".Servlet")
            .whenClassVisible(api + ".Servlet")
            .whenClassVisible(api + ".AsyncListener")
            .advice(
                named("service").and(takesArguments(2))
                    .and(takesArgument(0, api + ".ServletRequest"))
                    .and(not(isAbstract())),
                classPrefix + "ServletAdvice")
            .helpers(helpers)
            .build());
    instrumentations.add(
        TypeInstrumentation.forClassesExtending(api + ".Filter")
            .whenClassVisible(api + ".Filter")
            .whenClassVisible(api + ".AsyncListener")
            .advice(
                named("doFilter").and(takesArguments(3))
                    .and(takesArgument(0, api + ".ServletRequest"))
                    .and(not(isAbstract())),
                classPrefix + "ServletAdvice")
            .helpers(helpers)
            .build());
  }

  @Override
  public void start(AgentContext context) {
    ServletBridge.install(new ServletTelemetry(context));
  }
}
