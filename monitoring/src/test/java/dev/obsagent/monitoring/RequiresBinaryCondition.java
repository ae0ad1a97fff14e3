package dev.obsagent.monitoring;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresBinary}: an executable file of that name on the PATH. */
final class RequiresBinaryCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Class<?>> testClass = context.getTestClass();
    if (testClass.isEmpty() || context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("checked once per class");
    }
    for (RequiresBinary binary : AnnotationSupport.findRepeatableAnnotations(testClass.get(), RequiresBinary.class)) {
      if (find(binary.value()).isEmpty()) {
        String reason = binary.value() + " is not installed (" + binary.install() + ")";
        return ConditionEvaluationResult.disabled(Prerequisites.missing(testClass.get(), reason));
      }
    }
    return ConditionEvaluationResult.enabled("programs installed");
  }

  /** The program's path on the PATH, if any. */
  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
