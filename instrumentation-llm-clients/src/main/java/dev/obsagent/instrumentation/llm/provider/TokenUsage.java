package dev.obsagent.instrumentation.llm.provider;

/**
 * Token counts in the OpenTelemetry semantic-convention meaning, whatever the provider reported:
 * {@code input} counts every prompt token, cached ones included; {@code output} every generated
 * token, reasoning included. {@link #UNKNOWN} where the provider gave no count: the agent never
 * estimates.
 */
public final class TokenUsage {

  public static final long UNKNOWN = -1;

  public final long input;
  public final long output;
  public final long cacheRead;
  public final long cacheWrite;

  public TokenUsage(long input, long output, long cacheRead, long cacheWrite) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
  }

  /** True when the provider reported at least one count. */
  public boolean any() {
    return input >= 0 || output >= 0;
  }

  /** {@code a + b + c} where each is a count or unknown; unknown only when the first is. */
  static long sum(long a, long b, long c) {
    if (a < 0) {
      return UNKNOWN;
    }
    return a + Math.max(b, 0) + Math.max(c, 0);
  }

  @Override
  public String toString() {
    return "input=" + input + " output=" + output + " cacheRead=" + cacheRead + " cacheWrite=" + cacheWrite;
  }
}
