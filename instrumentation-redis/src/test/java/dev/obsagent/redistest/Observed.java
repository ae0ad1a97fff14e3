package dev.obsagent.redistest;

import static dev.obsagent.testing.Scrape.labels;

import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.stream.Collectors;

/** What the agent recorded for Redis: exact series of the duration histogram and CLIENT spans. */
final class Observed {

  static final String COUNT = "db_client_operation_duration_seconds_count";
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> QUERY = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final InProcessAgent agent;

  Observed(InProcessAgent agent) {
    this.agent = agent;
  }

  /** Operations recorded so far under exactly these labels. */
  double count(String operation, String errorType) {
    return agent.scrape().value(COUNT, labels(
        "db_system_name", "redis", "db_operation_name", operation, "db_collection_name", "", "error_type", errorType));
  }

  double count(String operation) {
    return count(operation, "");
  }

  /** Counts of several successful operations at once, in the order given. */
  double[] counts(String... operations) {
    double[] counts = new double[operations.length];
    for (int i = 0; i < operations.length; i++) {
      counts[i] = count(operations[i]);
    }
    return counts;
  }

  double instrumentationErrors() {
    return agent.scrape().value("obs_agent_instrumentation_errors_total", labels("instrumentation", "jedis"));
  }

  /** The Redis CLIENT spans finished since the last {@link InProcessAgent#clearSpans()}. */
  List<SpanData> spans() {
    return agent.spans().stream()
        .filter(span -> span.getKind() == SpanKind.CLIENT)
        .filter(span -> "redis".equals(span.getAttributes().get(SYSTEM)))
        .collect(Collectors.toList());
  }

  List<String> spanNames() {
    return spans().stream().map(SpanData::getName).collect(Collectors.toList());
  }
}
