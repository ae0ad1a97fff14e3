package dev.obsagent.instrumentation.jdbc;

import static dev.obsagent.core.api.MethodMatchers.isAbstract;
import static dev.obsagent.core.api.MethodMatchers.isPublic;
import static dev.obsagent.core.api.MethodMatchers.isStatic;
import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.namedOneOf;
import static dev.obsagent.core.api.MethodMatchers.not;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static dev.obsagent.core.api.MethodMatchers.takesArguments;
import static dev.obsagent.core.api.MethodMatchers.takesNoArguments;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import dev.obsagent.core.api.MethodMatcher;

/**
 * Any JDBC driver, pool or wrapper, through the {@code java.sql} interfaces alone: every class
 * implementing {@code Connection} (to learn the SQL of prepared statements) and {@code Statement}
 * (to measure {@code execute*} and batches). Types are matched by name, so no driver class is
 * loaded to decide; {@code java.sql} is visible to every application loader, so no marker class.
 */
public final class JdbcInstrumentationModule implements InstrumentationModule {

  private static final String ADVICE = "dev.obsagent.instrumentation.jdbc.advice.";

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    TypeInstrumentation connections =
        TypeInstrumentation.forClassesExtending("java.sql.Connection")
            .advice(
                concrete(namedOneOf("prepareStatement", "prepareCall")).and(takesArgument(0, String.class)),
                ADVICE + "PrepareAdvice")
            .build();
    TypeInstrumentation statements =
        TypeInstrumentation.forClassesExtending("java.sql.Statement")
            .advice(
                concrete(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                    .and(takesNoArguments().or(takesArgument(0, String.class))),
                ADVICE + "ExecuteAdvice")
            .advice(
                concrete(namedOneOf("executeBatch", "executeLargeBatch")).and(takesNoArguments()),
                ADVICE + "ExecuteBatchAdvice")
            .advice(
                concrete(named("addBatch")).and(takesNoArguments().or(takesArguments(String.class))),
                ADVICE + "AddBatchAdvice")
            .advice(concrete(named("clearBatch")).and(takesNoArguments()), ADVICE + "ClearBatchAdvice")
            .build();
    return Arrays.asList(connections, statements);
  }

  /** Public instance methods with a body: advice reads {@code this}. */
  private static MethodMatcher concrete(
      MethodMatcher methods) {
    return isPublic().and(not(isAbstract())).and(not(isStatic())).and(methods);
  }

  @Override
  public void start(AgentContext context) {
    JdbcBridge.install(new JdbcTelemetry(context));
  }
}
