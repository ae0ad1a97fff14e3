package dev.obsagent.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresService}: a TCP connect with a short timeout per service. */
public final class RequiresServiceCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Class<?>> testClass = context.getTestClass();
    if (testClass.isEmpty() || context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("checked once per class");
    }
    for (RequiresService service : AnnotationSupport.findRepeatableAnnotations(testClass.get(), RequiresService.class)) {
      if (!reachable(service.host(), service.port())) {
        String reason =
            service.name() + " is not reachable at " + service.host() + ":" + service.port();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          throw new IllegalStateException("CI=true and " + reason + ": start it (see .ci/run); suites never skip in CI");
        }
        // Printed to the console too: a skipped suite must be visible in the build output.
        System.out.println("SKIPPED SUITE " + testClass.get().getSimpleName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
      }
    }
    return ConditionEvaluationResult.enabled("services reachable");
  }

  static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
