package dev.obsagent.monitoring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A suite that runs a program (promtool, amtool, prometheus, ...). When it is not on the PATH the
 * suite is skipped with a line {@code SKIPPED SUITE <Class>: <why>} on stdout, which
 * scripts/test-all.sh lists at the end, except under {@code CI=true}, where it fails: CI must
 * never skip a suite silently. The same policy as dev.obsagent.testing.RequiresService, for
 * programs rather than TCP services.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(RequiresBinary.List.class)
@ExtendWith(RequiresBinaryCondition.class)
@interface RequiresBinary {

  /** The program's name, looked up on the PATH. */
  String value();

  /** How to install it, for the message: e.g. {@code apt-get install prometheus}. */
  String install();

  /** Several programs for one suite. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(RequiresBinaryCondition.class)
  @interface List {
    RequiresBinary[] value();
  }
}
