package dev.obsagent.smoke;

import java.nio.file.Path;

/** The javax.servlet app on embedded Tomcat 9: the agent weaves the javax API separately. */
class JavaxAppSmokeTest extends ServletAppSmokeTest {

  @Override
  JavaRuntime java() {
    return JavaRuntime.current();
  }

  @Override
  Path appJar() {
    return Artifacts.javaxApp();
  }

  @Override
  String serviceName() {
    return "javax-app";
  }

  @Override
  String failureClass() {
    return "dev.obsagent.javaxapp.JavaxAppFailure";
  }

  @Override
  String failureMessage() {
    return "failed on purpose";
  }
}
