package dev.obsagent.instrumentation.redis;

import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.bootstrap.redis.RedisRecorder;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.metrics.CappedSeries;
import dev.obsagent.core.metrics.ExemplarSpanContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.Clock;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns finished Redis operations into {@code db_client_operation_duration_seconds} and CLIENT
 * spans, as CONTRACT.md names them.
 *
 * <p>The span is made when the operation has ended, with its start put back in time: the
 * operation's name is often known only once its first command is sent, and a Redis call has no
 * child spans that would need it current meanwhile.
 */
final class RedisTelemetry extends RedisRecorder {

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  static final String SYSTEM = "redis";
  /** Redis has no table: the label is there, empty, so SQL and Redis share one metric. */
  private static final String NO_COLLECTION = "";
  /** Bounds the per-name cache; names come from command constants, so this is never reached in practice. */
  private static final int MAX_OPERATIONS = 1024;

  private final Tracer tracer;
  private final CappedSeries<DistributionDataPoint> durations;
  private final SpanExceptions spanExceptions;
  private final Clock clock = Clock.getDefault();
  private final ConcurrentHashMap<String, RedisOperation> operations = new ConcurrentHashMap<>();

  RedisTelemetry(AgentContext context) {
    this.tracer = context.tracer("jedis");
    this.durations =
        context.metrics().durationHistogram(
            "db_client_operation_duration_seconds",
            "Duration of database client operations.",
            "db_system_name", "db_operation_name", "db_collection_name", "error_type");
    this.spanExceptions = context.spanExceptions();
  }

  @Override
  public void record(RedisCall call, Throwable error, long endNanos) {
    RedisOperation operation = operation(call.operation());
    long elapsedNanos = endNanos - call.startNanos();
    String errorType = error == null ? "" : error.getClass().getName();
    DistributionDataPoint point =
        error == null ? operation.succeeded : durations.get(SYSTEM, operation.name, NO_COLLECTION, errorType);

    long endEpochNanos = clock.now();
    Span span =
        tracer.spanBuilder(operation.name)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(endEpochNanos - elapsedNanos, TimeUnit.NANOSECONDS)
            .startSpan();
    // Attributes only on spans that are kept: the standard samplers do not read them, and an
    // unsampled span then costs no attribute map.
    if (span.isRecording()) {
      describe(span, call, operation);
    }
    observe(point, elapsedNanos / 1e9, span);
    if (error != null) {
      spanExceptions.recordFailure(span, errorType, error);
    }
    span.end(endEpochNanos, TimeUnit.NANOSECONDS);
  }

  private RedisOperation operation(String name) {
    RedisOperation operation = operations.get(name);
    if (operation == null) {
      operation = new RedisOperation(name, durations.get(SYSTEM, name, NO_COLLECTION, ""));
      if (operations.size() < MAX_OPERATIONS) {
        RedisOperation raced = operations.putIfAbsent(name, operation);
        if (raced != null) {
          operation = raced;
        }
      }
    }
    return operation;
  }

  private static void describe(Span span, RedisCall call, RedisOperation operation) {
    span.setAttribute(DB_SYSTEM_NAME, SYSTEM);
    span.setAttribute(DB_OPERATION_NAME, operation.name);
    String queryText = operation.queryText(call.argumentCount());
    if (queryText != null) {
      span.setAttribute(DB_QUERY_TEXT, queryText);
    }
    if (call.batchSize() >= 0) {
      span.setAttribute(DB_OPERATION_BATCH_SIZE, (long) call.batchSize());
    }
    if (call.serverAddress() != null) {
      span.setAttribute(SERVER_ADDRESS, call.serverAddress());
      span.setAttribute(SERVER_PORT, BoxedLongs.of(call.serverPort()));
    }
  }

  /** With the span as the exemplar when it is sampled. */
  private static void observe(DistributionDataPoint point, double seconds, Span span) {
    if (!span.getSpanContext().isSampled()) {
      point.observe(seconds);
      return;
    }
    ExemplarSpanContext.observe(point, seconds, span);
  }
}
