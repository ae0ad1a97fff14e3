package dev.obsagent.smoke;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A caller's trace context, sent as a W3C {@code traceparent} header. Tests send a fresh one
 * with a request to find that request's span at the backend by trace id.
 */
record TraceContext(String traceId, String parentSpanId) {

  static TraceContext random() {
    return new TraceContext(randomHex(16), randomHex(8));
  }

  /** {@code 00-<trace id>-<parent span id>-01}: version 0, sampled. */
  String traceparent() {
    return "00-" + traceId + "-" + parentSpanId + "-01";
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // an all-zero id is invalid
    return HexFormat.of().formatHex(id);
  }
}
