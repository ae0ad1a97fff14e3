package dev.obsagent.smoke;

/** The demo app on the JDK that runs the build (17 here). */
class DemoAppOnBuildJdkSmokeTest extends DemoAppSmokeTest {

  @Override
  JavaRuntime java() {
    return JavaRuntime.current();
  }
}
