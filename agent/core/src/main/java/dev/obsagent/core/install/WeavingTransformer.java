package dev.obsagent.core.install;

import dev.obsagent.core.api.SuperTypes;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.weave.ClassWeaver;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's one class file transformer. The JVM calls it for every class it loads (the demo app
 * loads about 7,000), so a class is first judged by name alone (ignored packages, exact names),
 * then by its class file header (the supertypes some instrumentation matches, see {@link
 * SuperTypes}); only a class that matches is parsed whole and woven by {@link ClassWeaver}.
 *
 * <p>Whatever goes wrong is logged at debug level, naming the class, and the class loads as it was.
 */
final class WeavingTransformer implements ClassFileTransformer {

  private final List<WovenType> types;
  private final boolean anyBySuperType;
  private final IgnoredTypes ignoredTypes;
  private final ClassLoader agentLoader;
  private final Instrumentation instrumentation;
  /** The module of the bridge, which woven code in a named module must read. */
  private final Module bridgeModule;
  /** Names of the classes woven so far ({@code a/b/C}): few, and no class or loader is kept. */
  final Set<String> woven = ConcurrentHashMap.newKeySet();

  /**
   * Set while this thread reads a class's supertypes: a class loaded meanwhile (a class loader's
   * own lazily loaded code, say) is matched by name only, and the masks are never reentered.
   */
  private final ThreadLocal<Boolean> readingSuperTypes = new ThreadLocal<>();

  WeavingTransformer(
      List<WovenType> types, IgnoredTypes ignoredTypes, ClassLoader agentLoader, Instrumentation instrumentation, Module bridgeModule) {
    this.types = types;
    this.ignoredTypes = ignoredTypes;
    this.agentLoader = agentLoader;
    this.instrumentation = instrumentation;
    this.bridgeModule = bridgeModule;
    boolean bySuperType = false;
    for (WovenType type : types) {
      bySuperType |= type.superTypeBit != 0;
    }
    this.anyBySuperType = bySuperType;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    try {
      List<WovenType> matched = matching(loader, internalName, classFile);
      if (matched.isEmpty()) {
        return null;
      }
      List<ClassWeaver.Binding> bindings = new ArrayList<>();
      for (WovenType type : matched) {
        bindings.addAll(type.bindings());
      }
      byte[] result = ClassWeaver.weave(classFile, bindings);
      if (result == null) {
        return null;
      }
      for (WovenType type : matched) {
        type.helpers.injectInto(loader);
      }
      if (module != null && module.isNamed() && !module.canRead(bridgeModule)) {
        instrumentation.redefineModule(module, Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
      }
      woven.add(internalName);
      AgentLog log = AgentLog.get();
      if (log.isEnabled(AgentLog.Level.DEBUG)) {
        log.debug("instrumented " + internalName.replace('/', '.'));
      }
      return result;
    } catch (Throwable error) {
      AgentLog.get().debug("could not instrument " + (internalName == null ? "a class" : internalName.replace('/', '.')), error);
      return null;
    }
  }

  /** The instrumentations that match the class, in the order they were installed. */
  List<WovenType> matching(ClassLoader loader, String internalName, byte[] classFile) {
    if (internalName == null
        || InstrumentationInstaller.isAgentLoader(loader, agentLoader)
        || ignoredTypes.ignoresInternalName(internalName)) {
      // Hidden and anonymous classes have no name to match; the agent's own are never woven.
      return List.of();
    }
    long superTypes = anyBySuperType ? superTypeMask(loader, internalName, classFile) : 0;
    List<WovenType> matched = new ArrayList<>(1);
    for (WovenType type : types) {
      if (type.matches(internalName, superTypes) && type.loaderSees.matches(loader)) {
        matched.add(type);
      }
    }
    return matched;
  }

  private long superTypeMask(ClassLoader loader, String internalName, byte[] classFile) {
    if (readingSuperTypes.get() != null) {
      return 0;
    }
    readingSuperTypes.set(Boolean.TRUE);
    try {
      return SuperTypes.matchedMask(loader, internalName, classFile);
    } finally {
      readingSuperTypes.remove();
    }
  }
}
