package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.NOTHING_YET;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.obsagent.testing.Scrape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent attached to a JVM that is already serving requests ({@code agentmain}), the two ways
 * a user can: the Attach API, as tools do, and {@code jcmd <pid> JVMTI.agent_load}, as the README
 * shows. The demo app has loaded, initialised and run its filter, its servlets and Spring's
 * {@code DispatcherServlet} before the agent arrives, so the agent must retransform those
 * classes: requests served after the attach are measured and traced, those before are not.
 */
class LateAttachSmokeTest {

  private FakeOtlpBackend backend;
  private AppProcess app;

  @BeforeEach
  void startBackend() {
    backend = FakeOtlpBackend.start();
  }

  @AfterEach
  void stopAppAndBackend() {
    if (app != null) {
      app.close();
    }
    backend.close();
  }

  @Test
  void attachedThroughTheAttachApiOnTheBuildJdk() {
    JavaRuntime java = JavaRuntime.current();
    app = AppProcess.startWithoutAgent("late-attach-api", java, Artifacts.demoApp());
    servedBeforeTheAttach();

    String agentArgs = AgentArgs.exportingTo(backend).toString();
    try {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
      try {
        vm.loadAgent(Artifacts.agentJar().toString(), agentArgs);
      } finally {
        vm.detach();
      }
    } catch (Exception e) {
      throw new AssertionError("cannot attach the agent to " + app, e);
    }

    requestsServedAfterTheAttachAreMeasured();
  }

  /**
   * On JDK 21 and later a dynamically loaded agent makes the JVM warn unless it was started with
   * {@code -XX:+EnableDynamicAgentLoading}; with it, the attach must leave no warning at all.
   */
  @Test
  void attachedWithJcmdOnJdk25() throws IOException, InterruptedException {
    JavaRuntime java = JavaRuntime.jdk25OrSkip(getClass().getSimpleName() + ".attachedWithJcmdOnJdk25");
    app = AppProcess.startWithoutAgent("late-attach-jcmd-jdk25", java, Artifacts.demoApp(), "-XX:+EnableDynamicAgentLoading");
    servedBeforeTheAttach();

    // jcmd splits its arguments at '=' unless they are quoted, hence the quotes inside.
    String agentArgs = "\"" + AgentArgs.exportingTo(backend) + "\"";
    Process jcmd =
        new ProcessBuilder(
                java.tool("jcmd").toString(), String.valueOf(app.pid()),
                "JVMTI.agent_load", Artifacts.agentJar().toString(), agentArgs)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd did not end");
    assertEquals(0, jcmd.exitValue(), "jcmd: " + output);

    requestsServedAfterTheAttachAreMeasured();
    List<String> warnings =
        app.stderrLines().stream().filter(line -> line.startsWith("WARNING:")).collect(Collectors.toList());
    assertEquals(List.of(), warnings);
  }

  /** Loads and runs every class the agent will have to retransform. */
  private void servedBeforeTheAttach() {
    assertEquals(200, app.get("/hello").statusCode());
    assertEquals(200, app.get("/owners/1").statusCode());
    assertEquals(200, app.get("/async").statusCode());
    assertEquals(List.of(), app.agentLog(), "no agent yet");
  }

  private void requestsServedAfterTheAttachAreMeasured() {
    String startLine = app.startLine();
    assertEquals(List.of(startLine), app.agentLog(), "the agent's only log line");

    TraceContext hello = TraceContext.random();
    TraceContext owner = TraceContext.random();
    assertEquals(200, app.get("/hello", "traceparent", hello.traceparent()).statusCode());
    assertEquals(200, app.get("/hello").statusCode());
    assertEquals(200, app.get("/owners/7", "traceparent", owner.traceparent()).statusCode());
    assertEquals(200, app.get("/async").statusCode());

    // Counted from zero: the requests before the attach must not show, these exactly once each
    // (the demo filter and the servlet behind it were both retransformed).
    awaitCountIncrease(app, NOTHING_YET, series("GET", "/hello", "200", ""), 2);
    awaitCountIncrease(app, NOTHING_YET, series("GET", "/owners/{ownerId}", "200", ""), 1);
    // Async completion needs the helper classes, injected into the already running app's loader.
    Scrape after = awaitCountIncrease(app, NOTHING_YET, series("GET", "/async", "200", ""), 1);

    ExportedSpan helloSpan = backend.awaitServerSpan(hello);
    assertEquals("GET /hello", helloSpan.name());
    assertEquals(hello.parentSpanId(), helloSpan.parentSpanId());
    ExportedSpan ownerSpan = backend.awaitServerSpan(owner);
    assertEquals("GET /owners/{ownerId}", ownerSpan.name());
    assertEquals("/owners/{ownerId}", ownerSpan.attribute("http.route"));
    assertEquals("/owners/7", ownerSpan.attribute("url.path"));

    List<Scrape.Sample> errors =
        after.find("obs_agent_instrumentation_errors_total", Map.of()).stream()
            .filter(sample -> sample.value != 0)
            .collect(Collectors.toList());
    assertEquals(List.of(), errors);
  }
}
