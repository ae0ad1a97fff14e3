package dev.obsagent.core.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedSpanProcessorTest {

  /** An exporter stuck on its first batch, like a collector that never answers. */
  private static final class StuckExporter implements SpanExporter {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger exported = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
    StuckExporter exporter = new StuckExporter();
    AtomicLong dropped = new AtomicLong();
    BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 5, 1, 10, 1000, dropped::addAndGet);
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    Tracer tracer = provider.get("test");

    tracer.spanBuilder("first").startSpan().end();
    Thread.sleep(100); // the worker takes it and blocks in export
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      tracer.spanBuilder("span" + i).startSpan().end();
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(15, dropped.get(), "queue of 5 keeps 5 of the 20");
    assertTrue(elapsedMillis < 1000, "ending spans never waits for the exporter: " + elapsedMillis + " ms");
    exporter.release.countDown();
    processor.forceFlush().join(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exporter.exported.get() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(6, exporter.exported.get());
    provider.shutdown();
  }

  /** Records the size of every batch it is given. */
  private static final class RecordingExporter implements SpanExporter {
    final java.util.List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      batches.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    int total() {
      return batches.stream().mapToInt(Integer::intValue).sum();
    }
  }

  @Test
  void spansGoOutInBatchesNotOneExportPerSpan() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 100, 10, 300, 1000, dropped -> {});
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    Tracer tracer = provider.get("test");

    for (int i = 0; i < 25; i++) {
      tracer.spanBuilder("span" + i).startSpan().end();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (exporter.total() < 25 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(25, exporter.total(), exporter.batches.toString());
    assertTrue(exporter.batches.size() <= 4, "25 spans in batches of up to 10: " + exporter.batches);
    assertTrue(exporter.batches.stream().allMatch(size -> size <= 10), exporter.batches.toString());
    provider.close();
  }

  /** The count of waiting spans that wakes the exporter early stays right across drains. */
  @Test
  void everyFullBatchGoesOutWithoutWaitingForTheDelay() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 100, 5, 600_000, 1000, dropped -> {});
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    Tracer tracer = provider.get("test");

    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 5; i++) {
        tracer.spanBuilder("span" + i).startSpan().end();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (exporter.total() < 5 * round && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(5 * round, exporter.total(), "a ten-minute delay, yet full batch " + round + " went out");
    }
    for (int i = 0; i < 3; i++) {
      tracer.spanBuilder("rest" + i).startSpan().end();
    }
    Thread.sleep(200);
    assertEquals(java.util.List.of(5, 5, 5), exporter.batches, "three spans wait for the delay");
    provider.shutdown().join(5, TimeUnit.SECONDS);
    assertEquals(java.util.List.of(5, 5, 5, 3), exporter.batches);
  }

  @Test
  void aLoneSpanGoesOutAfterTheDelay() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 100, 10, 200, 1000, dropped -> {});
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();

    provider.get("test").spanBuilder("alone").startSpan().end();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (exporter.total() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(java.util.List.of(1), exporter.batches);
    provider.close();
  }

  @Test
  void shutdownExportsTheSpansStillWaitingForTheDelay() {
    RecordingExporter exporter = new RecordingExporter();
    BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 100, 10, 600_000, 1000, dropped -> {});
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    Tracer tracer = provider.get("test");
    tracer.spanBuilder("first").startSpan().end();
    tracer.spanBuilder("second").startSpan().end();
    assertEquals(0, exporter.total(), "a ten-minute delay: nothing goes out before shutdown");

    provider.shutdown().join(5, TimeUnit.SECONDS);
    assertEquals(java.util.List.of(2), exporter.batches);
  }

  @Test
  void spansOfAFailedExportAreCountedAsDropped() throws Exception {
    AtomicLong dropped = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    SpanExporter refusing = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofFailure();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    BoundedSpanProcessor processor =
        new BoundedSpanProcessor(refusing, 100, 3, 600_000, 1000, dropped::addAndGet, failures::incrementAndGet);
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    for (int i = 0; i < 3; i++) {
      provider.get("test").spanBuilder("span" + i).startSpan().end();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (dropped.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(3, dropped.get());
    assertEquals(1, failures.get());
    provider.close();
  }
}
