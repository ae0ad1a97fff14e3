package dev.obsagent.smoke;

/**
 * The demo app on JDK 25, the newest LTS: class file versions and JDK internals change with
 * every release, and an agent is the first to notice. The JDK is {@code -Dsmoke.jdk25.java}.
 * Where it is missing the suite is skipped and says so, except under {@code CI=true}, where it
 * fails, as the service-gated suites do: CI never skips silently.
 */
class DemoAppOnJdk25SmokeTest extends DemoAppSmokeTest {

  @Override
  JavaRuntime java() {
    return JavaRuntime.jdk25OrSkip(getClass().getSimpleName());
  }
}
