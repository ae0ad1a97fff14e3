package dev.obsagent.instrumentation.redis;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * What the agent keeps per operation name ({@code GET}, {@code PIPELINE}): the histogram data
 * point of its successes, resolved once, and its sanitized query texts ({@code SET ? ?}) per
 * argument count, built once for the common counts.
 */
final class RedisOperation {

  /** Argument counts whose query text is cached; longer commands ({@code MSET} of many keys) build it. */
  private static final int CACHED_ARGUMENT_COUNTS = 16;

  final String name;
  final DistributionDataPoint succeeded;
  private final String[] queryTexts = new String[CACHED_ARGUMENT_COUNTS];

  RedisOperation(String name, DistributionDataPoint succeeded) {
    this.name = name;
    this.succeeded = succeeded;
  }

  /** The command and one {@code ?} per argument: no key or value ever leaves the process. */
  String queryText(int argumentCount) {
    if (argumentCount < 0) {
      return null;
    }
    if (argumentCount >= CACHED_ARGUMENT_COUNTS) {
      return build(argumentCount);
    }
    String text = queryTexts[argumentCount];
    if (text == null) {
      // A benign race: two threads may build the same text once each.
      text = build(argumentCount);
      queryTexts[argumentCount] = text;
    }
    return text;
  }

  private String build(int argumentCount) {
    StringBuilder text = new StringBuilder(name.length() + 2 * argumentCount);
    text.append(name);
    for (int i = 0; i < argumentCount; i++) {
      text.append(" ?");
    }
    return text.toString();
  }
}
