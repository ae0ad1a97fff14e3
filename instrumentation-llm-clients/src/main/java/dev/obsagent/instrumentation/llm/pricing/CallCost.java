package dev.obsagent.instrumentation.llm.pricing;

import dev.obsagent.instrumentation.llm.provider.TokenUsage;

/**
 * The cost of one call in USD, in the four parts of CONTRACT.md: (input - cache read - cache
 * write) at the input price, cache reads at the cache-read price (the input price where the row
 * has none), cache writes likewise, and output at the output price; all per million tokens. An
 * unknown count contributes nothing; an empty input or output price means that price does not
 * apply.
 */
public final class CallCost {

  private static final double PER_MILLION = 1_000_000.0;

  public final double input;
  public final double output;
  public final double cacheRead;
  public final double cacheWrite;

  private CallCost(double input, double output, double cacheRead, double cacheWrite) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
  }

  public static CallCost of(ModelPrice price, TokenUsage usage) {
    long cacheRead = Math.max(usage.cacheRead, 0);
    long cacheWrite = Math.max(usage.cacheWrite, 0);
    long uncachedInput = usage.input < 0 ? 0 : Math.max(usage.input - cacheRead - cacheWrite, 0);
    long output = Math.max(usage.output, 0);
    return new CallCost(
        part(uncachedInput, price.input),
        part(output, price.output),
        part(cacheRead, orElse(price.cacheRead, price.input)),
        part(cacheWrite, orElse(price.cacheWrite, price.input)));
  }

  public double total() {
    return input + output + cacheRead + cacheWrite;
  }

  private static double part(long tokens, double pricePerMillion) {
    return tokens == 0 || Double.isNaN(pricePerMillion) ? 0 : tokens * pricePerMillion / PER_MILLION;
  }

  private static double orElse(double price, double fallback) {
    return Double.isNaN(price) ? fallback : price;
  }
}
