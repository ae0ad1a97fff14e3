package dev.obsagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * java.net.http sits in a named module, whose woven code can call the agent's bridge only when the
 * weaver gives that module a read edge to the bridge's module. This starts a JVM with the agent
 * jar, makes one java.net.http call and checks that the call was woven and carried a trace.
 */
class NamedModuleWeavingIT {

  @Test
  void weavesTheHttpClientInItsNamedModule(@TempDir Path temp) throws Exception {
    Path classLog = temp.resolve("classes.log");
    Path output = temp.resolve("output.log");
    Process app =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + System.getProperty("obs.agent.jar")
                    + "=obs.metrics.enabled=false,otel.traces.exporter=none,obs.log.level=debug",
                "-Xlog:class+load=info:file=" + classLog,
                "-cp",
                testClasses(),
                JavaHttpClientApp.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app did not finish within 60 s");
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, app.exitValue(), printed);

    List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
    assertTrue(loaded.stream().anyMatch(line -> line.contains("dev.obsagent.core.weave.AdviceInliner ")), "the weaver did not run");

    assertTrue(printed.contains("[obs-agent] DEBUG instrumented jdk.internal.net.http.HttpClientImpl"), printed);
    assertTrue(printed.contains("status=204"), printed);
    assertTrue(printed.lines().anyMatch(line -> line.matches("traceparent=00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")), printed);
    assertFalse(printed.contains("could not instrument"), printed);
  }

  private static String testClasses() throws IOException {
    File classes = new File(JavaHttpClientApp.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    if (!classes.isDirectory()) {
      throw new IOException("test classes not in a directory: " + classes);
    }
    return classes.getPath();
  }
}
