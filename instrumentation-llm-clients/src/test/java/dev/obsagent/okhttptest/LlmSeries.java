package dev.obsagent.okhttptest;

import static dev.obsagent.okhttptest.Observed.COST;
import static dev.obsagent.okhttptest.Observed.LLM_COUNT;
import static dev.obsagent.okhttptest.Observed.TOKENS_COUNT;
import static dev.obsagent.okhttptest.Observed.TOKENS_SUM;
import static dev.obsagent.okhttptest.Observed.TTFC_COUNT;
import static dev.obsagent.okhttptest.Observed.cost;
import static dev.obsagent.okhttptest.Observed.genAi;
import static dev.obsagent.okhttptest.Observed.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;

/** A snapshot of the gen_ai series of one label set, to compare before and after a call. */
public final class LlmSeries {

  private static final String[] COST_TYPES = {"input", "output", "cache_read", "cache_write"};

  public final double calls;
  public final double ttfc;
  public final double input;
  public final double output;
  public final double tokenSamples;
  public final double[] costs = new double[COST_TYPES.length];

  private LlmSeries(Scrape scrape, String provider, String operation, String requestModel, String responseModel, String errorType) {
    calls = scrape.value(LLM_COUNT, genAi(provider, operation, requestModel, responseModel, errorType));
    ttfc = scrape.value(TTFC_COUNT, genAi(provider, operation, requestModel, responseModel, errorType));
    input = scrape.value(TOKENS_SUM, tokens(provider, operation, requestModel, responseModel, "input"));
    output = scrape.value(TOKENS_SUM, tokens(provider, operation, requestModel, responseModel, "output"));
    tokenSamples = scrape.value(TOKENS_COUNT, tokens(provider, operation, requestModel, responseModel, "input"))
        + scrape.value(TOKENS_COUNT, tokens(provider, operation, requestModel, responseModel, "output"));
    for (int i = 0; i < COST_TYPES.length; i++) {
      costs[i] = scrape.value(COST, cost(provider, requestModel, COST_TYPES[i]));
    }
  }

  public static LlmSeries of(Observed observed, String provider, String operation, String requestModel, String responseModel, String errorType) {
    return new LlmSeries(observed.scrape(), provider, operation, requestModel, responseModel, errorType);
  }

  /** USD added per token type since {@code before}. */
  public void assertCostsAdded(LlmSeries before, double input, double output, double cacheRead, double cacheWrite) {
    double[] expected = {input, output, cacheRead, cacheWrite};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(before.costs[i] + expected[i], costs[i], 1e-12, "cost of " + COST_TYPES[i] + " tokens");
    }
  }
}
