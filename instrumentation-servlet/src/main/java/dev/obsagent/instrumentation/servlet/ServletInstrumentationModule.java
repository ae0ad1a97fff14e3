package dev.obsagent.instrumentation.servlet;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obsagent.bootstrap.servlet.ServletBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Servlets and filters of {@code javax.servlet} (3.0+) and {@code jakarta.servlet} (5.0+): the
 * outermost {@code Servlet.service} or {@code Filter.doFilter} call of a request is measured.
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
    return instrumentations;
  }

  private static void addFlavour(List<TypeInstrumentation> instrumentations, String api, String classPrefix) {
    String[] helpers = {classPrefix + "ServletHelper", classPrefix + "AsyncListener"};
    instrumentations.add(
        TypeInstrumentation.forTypes(not(isInterface()).and(hasSuperType(named(api + ".Servlet"))))
            .whenClassVisible(api + ".Servlet")
            .whenClassVisible(api + ".AsyncListener")
            .advice(
                named("service").and(takesArguments(2))
                    .and(takesArgument(0, named(api + ".ServletRequest")))
                    .and(not(isAbstract())),
                classPrefix + "ServletAdvice")
            .helpers(helpers)
            .build());
    instrumentations.add(
        TypeInstrumentation.forTypes(not(isInterface()).and(hasSuperType(named(api + ".Filter"))))
            .whenClassVisible(api + ".Filter")
            .whenClassVisible(api + ".AsyncListener")
            .advice(
                named("doFilter").and(takesArguments(3))
                    .and(takesArgument(0, named(api + ".ServletRequest")))
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
