package dev.obsagent.core.tracing;

import dev.obsagent.bootstrap.AgentThreads;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Hands ended, sampled spans to a background exporter thread through a bounded queue.
 *
 * <p>The SDK's BatchSpanProcessor does the same but reports dropped spans only through its own
 * internal-telemetry metrics, whose names change between versions; the agent needs a plain count
 * for {@code obs_agent_spans_dropped_total}. The application thread never waits: a full queue
 * drops the span and counts it.
 *
 * <p>Spans wait in the queue until a batch is full or {@code scheduleDelayMillis} has passed,
 * then go out in batches of up to {@code maxBatchSize}: one export per span under load would
 * cost a whole HTTP request each. While they wait they stay in the queue, so a flush or a
 * shutdown finds them there.
 */
public final class BoundedSpanProcessor implements SpanProcessor {

  private final ArrayBlockingQueue<ReadableSpan> queue;
  /**
   * Spans in the queue, kept beside it: {@code queue.size()} takes the queue's lock, a second
   * lock per ended span on the application thread. Approximate while an offer or a drain is
   * under way, which only moves an early wake-up by a span.
   */
  private final AtomicInteger queued = new AtomicInteger();
  private final SpanExporter exporter;
  private final int maxBatchSize;
  private final long scheduleDelayMillis;
  private final long exportTimeoutMillis;
  private final LongConsumer droppedSpans;
  private final Runnable exportFailed;
  private final Thread worker;
  private volatile boolean shutdown;

  public BoundedSpanProcessor(
      SpanExporter exporter,
      int maxQueueSize,
      int maxBatchSize,
      long scheduleDelayMillis,
      long exportTimeoutMillis,
      LongConsumer droppedSpans) {
    this(exporter, maxQueueSize, maxBatchSize, scheduleDelayMillis, exportTimeoutMillis, droppedSpans, () -> {});
  }

  /**
   * @param droppedSpans counts spans lost: past the full queue, or in an export that failed
   * @param exportFailed told of every export that failed (collector down, refusing, too slow)
   */
  public BoundedSpanProcessor(
      SpanExporter exporter,
      int maxQueueSize,
      int maxBatchSize,
      long scheduleDelayMillis,
      long exportTimeoutMillis,
      LongConsumer droppedSpans,
      Runnable exportFailed) {
    this.exporter = exporter;
    this.exportFailed = exportFailed;
    this.queue = new ArrayBlockingQueue<>(maxQueueSize);
    this.maxBatchSize = maxBatchSize;
    this.scheduleDelayMillis = scheduleDelayMillis;
    this.exportTimeoutMillis = exportTimeoutMillis;
    this.droppedSpans = droppedSpans;
    // An agent thread: the exporter posts from it, and HTTP client instrumentation leaves the
    // agent's own calls unmeasured.
    this.worker = AgentThreads.factory("obs-agent-span-exporter").newThread(this::exportLoop);
    this.worker.start();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    if (shutdown || !queue.offer(span)) {
      droppedSpans.accept(1);
    } else if (queued.incrementAndGet() >= maxBatchSize) {
      LockSupport.unpark(worker); // a full batch need not wait for the delay
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  private void exportLoop() {
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(scheduleDelayMillis);
    List<ReadableSpan> batch = new ArrayList<>(maxBatchSize);
    while (!shutdown) {
      long deadline = System.nanoTime() + delayNanos;
      while (queued.get() < maxBatchSize && !shutdown) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, left); // onEnd unparks early once a batch is full
        if (Thread.currentThread().isInterrupted()) {
          return; // shutdown() flushes what is left
        }
      }
      if (shutdown) {
        return;
      }
      try {
        // One batch, then more only while full ones are waiting: a remainder waits for the
        // next delay instead of going out as a small export of its own.
        do {
          if (drain(batch, maxBatchSize) > 0) {
            export(batch);
          }
        } while (queued.get() >= maxBatchSize && !shutdown);
      } catch (Throwable t) {
        // An exporter bug must not kill the thread; the batch is lost.
        batch.clear();
      }
    }
  }

  private int drain(List<ReadableSpan> into, int max) {
    int drained = queue.drainTo(into, max);
    queued.addAndGet(-drained);
    return drained;
  }

  private void export(List<ReadableSpan> batch) {
    List<SpanData> data = new ArrayList<>(batch.size());
    for (ReadableSpan span : batch) {
      data.add(span.toSpanData());
    }
    batch.clear();
    CompletableResultCode result = exporter.export(data).join(exportTimeoutMillis, TimeUnit.MILLISECONDS);
    if (!result.isSuccess()) {
      // Refused, unreachable or too slow: these spans never reach the collector either.
      droppedSpans.accept(data.size());
      exportFailed.run();
    }
  }

  @Override
  public CompletableResultCode forceFlush() {
    List<ReadableSpan> batch = new ArrayList<>();
    drain(batch, Integer.MAX_VALUE);
    while (!batch.isEmpty()) {
      List<ReadableSpan> chunk = new ArrayList<>(batch.subList(0, Math.min(maxBatchSize, batch.size())));
      batch.subList(0, chunk.size()).clear();
      export(chunk);
    }
    return exporter.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    worker.interrupt();
    forceFlush().join(exportTimeoutMillis, TimeUnit.MILLISECONDS);
    return exporter.shutdown();
  }
}
