package dev.obsagent.instrumentation.llm;

import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.instrumentation.httpclient.HttpClientTelemetry;
import java.util.Collections;
import java.util.List;

/**
 * LLM calls ({@code obs.instrumentation.llm.enabled}): weaves nothing itself. It teaches the HTTP
 * client telemetry, which every HTTP client module feeds, to recognise LLM API calls and read
 * their bodies. Turning it off leaves plain HTTP client metrics; turning off an HTTP client
 * module hides the LLM calls made through that client.
 */
public final class LlmInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "llm";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.emptyList();
  }

  @Override
  public void start(AgentContext context) {
    HttpClientTelemetry.shared(context).observeLlmCalls(LlmCalls.create(context));
  }
}
