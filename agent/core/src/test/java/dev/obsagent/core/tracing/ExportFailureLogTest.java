package dev.obsagent.core.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.core.logging.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExportFailureLogTest {

  @Test
  void theFirstFailureIsOneLineThenAtMostOneLinePerInterval() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgentLog log = new AgentLog(AgentLog.Level.INFO, new PrintStream(out, true, StandardCharsets.UTF_8));
    AtomicLong now = new AtomicLong(1_000_000_000L);
    ExportFailureLog failures = new ExportFailureLog("http://collector:4318/v1/traces", log, now::get);

    failures.run();
    for (int i = 0; i < 100; i++) {
      now.addAndGet(TimeUnit.SECONDS.toNanos(2));
      failures.run();
    }
    now.addAndGet(TimeUnit.MINUTES.toNanos(ExportFailureLog.INTERVAL_MINUTES));
    failures.run();

    List<String> lines = Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals(List.of(
        "[obs-agent] WARN span export to http://collector:4318/v1/traces failed; the spans are dropped and"
            + " counted in obs_agent_spans_dropped_total, the application is unaffected (next report in 5"
            + " minutes at the earliest)",
        "[obs-agent] WARN span export to http://collector:4318/v1/traces failed 101 times; the spans are"
            + " dropped and counted in obs_agent_spans_dropped_total, the application is unaffected (next"
            + " report in 5 minutes at the earliest)"),
        lines);
  }
}
