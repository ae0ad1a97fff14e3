package dev.obsagent.core.install;

import dev.obsagent.core.logging.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Defines an instrumentation's helper classes (code its advice calls that needs library types,
 * such as an {@code AsyncListener}) in the class loader of each type it instruments, once per
 * loader. The class bytes come from the agent's own loader, where the helpers are hidden.
 */
final class HelperInjector implements AgentBuilder.Transformer {

  private final List<String> helperClassNames;
  private final ClassLoader agentLoader;
  private final Set<ClassLoader> injected = Collections.newSetFromMap(new WeakHashMap<>());

  HelperInjector(List<String> helperClassNames, ClassLoader agentLoader) {
    this.helperClassNames = helperClassNames;
    this.agentLoader = agentLoader;
  }

  @Override
  public DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain protectionDomain) {
    if (loader != null) {
      injectOnce(loader);
    }
    return builder;
  }

  private void injectOnce(ClassLoader loader) {
    synchronized (injected) {
      if (!injected.add(loader)) {
        return;
      }
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String name : helperClassNames) {
      String resource = name.replace('.', '/') + ".class";
      if (loader.getResource(resource) != null) {
        continue; // already visible there (the agent's own tests run it all in one loader)
      }
      classes.put(name, read(resource));
    }
    if (classes.isEmpty()) {
      return;
    }
    ClassInjector injector =
        ClassInjector.UsingReflection.isAvailable()
            ? new ClassInjector.UsingReflection(loader)
            : new ClassInjector.UsingUnsafe(loader);
    injector.injectRaw(classes);
    AgentLog.get().debug("injected " + classes.keySet() + " into " + loader);
  }

  private byte[] read(String resource) {
    try (InputStream in = agentLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("helper class " + resource + " is missing from the agent");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read helper class " + resource, e);
    }
  }
}
