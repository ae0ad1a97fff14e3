package dev.obsagent.core.install;

import dev.obsagent.core.logging.AgentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Defines an instrumentation's helper classes (code its advice calls that needs library types,
 * such as an {@code AsyncListener}) in the class loader of each type it instruments, once per
 * loader. The class bytes come from the agent's own loader, where the helpers are hidden.
 *
 * <p>Helpers are defined in the order listed, so a helper that extends another helper must be
 * listed after it. Should defining fail, the exception makes the weaver leave the type as it was:
 * advice without its helpers would only fail on every call.
 */
final class HelperInjector {

  private final List<String> helperClassNames;
  private final ClassLoader agentLoader;
  private final ClassDefiner definer;
  /** Loaders that have every helper; weak, so an undeployed application is still collected. */
  private final Set<ClassLoader> injected = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  HelperInjector(List<String> helperClassNames, ClassLoader agentLoader, ClassDefiner definer) {
    this.helperClassNames = helperClassNames;
    this.agentLoader = agentLoader;
    this.definer = definer;
  }

  /** Makes every helper visible in the loader; the bootstrap loader's are on its path already. */
  void injectInto(ClassLoader loader) {
    if (loader != null && !helperClassNames.isEmpty() && !injected.contains(loader)) {
      inject(loader);
      // Marked only once every helper is there: a thread that races this one defines nothing
      // twice (ClassDefiner checks under the loader's lock) and never sees a half-done loader.
      injected.add(loader);
    }
  }

  private void inject(ClassLoader loader) {
    List<String> defined = new ArrayList<>();
    for (String name : helperClassNames) {
      String resource = name.replace('.', '/') + ".class";
      if (loader.getResource(resource) != null) {
        continue; // already visible there (the agent's own tests run it all in one loader)
      }
      definer.define(loader, name, read(name));
      defined.add(name);
    }
    if (!defined.isEmpty()) {
      AgentLog.get().debug("injected " + defined + " into " + loader);
    }
  }

  private byte[] read(String className) {
    try {
      return AgentClassFiles.read(agentLoader, className);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read helper class " + className, e);
    }
  }
}
