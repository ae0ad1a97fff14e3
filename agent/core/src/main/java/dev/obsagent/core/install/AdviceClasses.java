package dev.obsagent.core.install;

import dev.obsagent.core.weave.AdviceClass;
import dev.obsagent.core.weave.WeavingException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The advice classes, read from the agent's own class files once each, never loaded: their code
 * refers to library types that only the instrumented class's loader can see.
 */
final class AdviceClasses {

  private final ClassLoader agentLoader;
  private final Map<String, AdviceClass> byName = new ConcurrentHashMap<>();

  AdviceClasses(ClassLoader agentLoader) {
    this.agentLoader = agentLoader;
  }

  AdviceClass get(String className) throws WeavingException {
    AdviceClass known = byName.get(className);
    if (known == null) {
      known = AdviceClass.read(read(className));
      byName.put(className, known);
    }
    return known;
  }

  private byte[] read(String className) throws WeavingException {
    try {
      return AgentClassFiles.read(agentLoader, className);
    } catch (IOException e) {
      throw new WeavingException("cannot read advice class " + className + ": " + e.getMessage());
    }
  }
}
