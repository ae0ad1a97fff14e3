package dev.obsagent.core.api;

import java.util.List;

/**
 * One instrumentation module, found through {@link java.util.ServiceLoader}. It declares which
 * types it weaves advice into and, at start, installs the bridge implementation its advice calls.
 * {@code obs.instrumentation.<name>.enabled=false} turns it off.
 */
public interface InstrumentationModule {

  /** The name used in configuration keys and the {@code instrumentation} error label. */
  String name();

  /** What to match and which advice goes where. */
  List<TypeInstrumentation> typeInstrumentations();

  /** Installs the recorders behind this module's bridge; called before any advice is woven. */
  void start(AgentContext context);
}
