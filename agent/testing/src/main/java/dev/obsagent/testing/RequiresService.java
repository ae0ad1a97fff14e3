package dev.obsagent.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs a real service on loopback (PostgreSQL, MariaDB, Redis). When the
 * service cannot be reached, the suite is skipped with a line saying which and why, except under
 * {@code CI=true}, where it fails loudly: CI must never skip a suite silently.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(RequiresService.List.class)
@ExtendWith(RequiresServiceCondition.class)
public @interface RequiresService {

  /** The service's human name, e.g. {@code PostgreSQL}. */
  String name();

  String host() default "127.0.0.1";

  int port();

  /** Several services for one suite. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(RequiresServiceCondition.class)
  @interface List {
    RequiresService[] value();
  }
}
