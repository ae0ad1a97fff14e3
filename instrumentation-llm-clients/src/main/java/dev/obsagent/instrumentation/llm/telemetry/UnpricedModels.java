package dev.obsagent.instrumentation.llm.telemetry;

import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import dev.obsagent.core.metrics.CappedSeries;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls with token counts but no price: {@code obs_llm_unpriced_requests_total} counts each one,
 * and the agent warns once per provider and model, so a missing price row is noticed without
 * flooding the log.
 */
final class UnpricedModels {

  /** Past this many distinct models, no more warnings: model names come from the network. */
  private static final int MAX_WARNED = 1000;

  private final CappedSeries<CounterDataPoint> counter;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  UnpricedModels(CappedSeries<CounterDataPoint> counter) {
    this.counter = counter;
  }

  void record(String provider, String requestModel, String responseModel) {
    counter.get(provider, requestModel).inc();
    String model = responseModel.isEmpty() ? requestModel : responseModel;
    String key = provider + "/" + model;
    if (warned.size() < MAX_WARNED && !warned.contains(key) && warned.add(key)) {
      AgentLog.get().warn(
          "no price for LLM model '" + model + "' of provider " + provider
              + ": its calls get no cost and count in obs_llm_unpriced_requests_total;"
              + " add a row to the obs.llm.prices file");
    }
  }
}
