package dev.obsagent.instrumentation.llm.pricing;

/**
 * One row of a price file: USD per million tokens for one provider's model (an exact name, or a
 * prefix when the file wrote it with a trailing {@code *}). {@link Double#NaN} is an empty cell.
 */
public final class ModelPrice {

  final String provider;
  final String model;
  final boolean prefix;
  final double input;
  final double output;
  final double cacheRead;
  final double cacheWrite;
  /** Where the row came from ({@code file:line}), for messages. */
  final String origin;

  ModelPrice(
      String provider, String model, boolean prefix, double input, double output, double cacheRead,
      double cacheWrite, String origin) {
    this.provider = provider;
    this.model = model;
    this.prefix = prefix;
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.origin = origin;
  }

  /** The row's model as written: the name, or the prefix followed by {@code *}. */
  public String pattern() {
    return prefix ? model + "*" : model;
  }

  public String provider() {
    return provider;
  }

  /** The key that a later row with the same provider and model replaces. */
  String key() {
    return provider + "," + pattern();
  }

  @Override
  public String toString() {
    return provider + "," + pattern() + "," + input + "," + output + "," + cacheRead + "," + cacheWrite;
  }
}
