package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The in-process agent these tests share, and exact metric deltas (the registry is per JVM). */
final class TestAgent {

  private TestAgent() {}

  static InProcessAgent install() {
    return InProcessAgent.install(Map.of());
  }

  /** Value of one exact series, 0 when it does not exist (yet). */
  static double value(Scrape scrape, String name, Map<String, String> labels) {
    List<Scrape.Sample> samples = scrape.find(name, labels);
    for (Scrape.Sample sample : samples) {
      if (sample.labels.equals(labels)) {
        return sample.value;
      }
    }
    return 0;
  }

  /** Waits until the series has grown by {@code by} since {@code before}; returns the new scrape. */
  static Scrape awaitIncrease(InProcessAgent agent, Scrape before, String name, Map<String, String> labels, double by) {
    double start = value(before, name, labels);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Scrape now = agent.scrape();
      double grown = value(now, name, labels) - start;
      if (grown >= by) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + labels + " grew by " + grown + ", not " + by + "\n" + now.text());
      }
      sleep(10);
    }
  }

  static SpanData awaitSpan(InProcessAgent agent, Predicate<SpanData> which) {
    List<SpanData> spans = agent.awaitSpans(all -> all.stream().anyMatch(which), Duration.ofSeconds(10));
    return spans.stream().filter(which).findFirst().orElseThrow();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
