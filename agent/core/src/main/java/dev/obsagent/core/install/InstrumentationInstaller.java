package dev.obsagent.core.install;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.core.logging.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs the agent's one class file transformer ({@link WeavingTransformer}) for every enabled
 * module's instrumentations, and weaves again, by retransformation, the classes that were loaded
 * before it: woven JDK types at premain, every matching class when attached late.
 */
public final class InstrumentationInstaller {

  private final ClassLoader agentLoader;
  private Set<String> wovenJdkTypes = Collections.emptySet();
  private WeavingTransformer transformer;

  public InstrumentationInstaller(ClassLoader agentLoader) {
    this.agentLoader = agentLoader;
  }

  public void install(Instrumentation instrumentation, List<InstrumentationModule> modules, boolean attachedLate) {
    // JDK classes can be woven only when their advice can link to the bridge: it must be on the
    // bootstrap class path (always so in the agent jar; the agent's tests put it there with
    // -Xbootclasspath/a), else they are left alone.
    wovenJdkTypes =
        InstrumentationErrors.class.getClassLoader() == null ? IgnoredTypes.WOVEN_JDK_TYPES : Collections.emptySet();
    ClassDefiner helperDefiner = ClassDefiner.open(instrumentation);
    AdviceClasses adviceClasses = new AdviceClasses(agentLoader);
    List<WovenType> types = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        HelperInjector helpers = new HelperInjector(type.helperClassNames(), agentLoader, helperDefiner);
        types.add(new WovenType(module.name(), type, adviceClasses, helpers));
      }
    }
    transformer =
        new WeavingTransformer(
            types, new IgnoredTypes(wovenJdkTypes), agentLoader, instrumentation, InstrumentationErrors.class.getModule());
    instrumentation.addTransformer(transformer, true);
    // At premain nothing of the application is loaded yet, but a woven JDK class may be: another
    // agent, a JVM option or the agent's own start-up on the thread beside this one may have
    // loaded java.net.http. Only those are retransformed: the ones loaded now, and through
    // catchUpOnJdkTypes the ones loaded before the transformer was registered.
    Set<Class<?>> loaded = attachedLate ? matchingLoadedClasses(instrumentation, types) : loadedClasses(instrumentation, wovenJdkTypes);
    retransform(instrumentation, loaded);
  }

  /**
   * Weaves the woven JDK types that were loaded after {@link #install} looked for them but before
   * its transformer was registered. Called once the agent's own start-up work is done.
   */
  public void catchUpOnJdkTypes(Instrumentation instrumentation) throws UnmodifiableClassException {
    Set<Class<?>> missed = loadedClasses(instrumentation, wovenJdkTypes);
    missed.removeIf(type -> transformer.woven.contains(type.getName().replace('.', '/')));
    if (!missed.isEmpty()) {
      instrumentation.retransformClasses(missed.toArray(new Class<?>[0]));
    }
  }

  /**
   * Loads the weaving code ahead of the first matched class (see {@link WeavingWarmUp}); meant
   * for a thread other than the application's.
   */
  public void warmUp() {
    WeavingWarmUp.run(agentLoader);
  }

  /** Takes the weaving out again, when the agent cannot start after all. */
  public void uninstall(Instrumentation instrumentation) {
    if (transformer != null) {
      instrumentation.removeTransformer(transformer);
      Set<Class<?>> woven = new HashSet<>();
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (transformer.woven.contains(type.getName().replace('.', '/'))) {
          woven.add(type);
        }
      }
      retransform(instrumentation, woven);
    }
  }

  private static Set<Class<?>> loadedClasses(Instrumentation instrumentation, Set<String> names) {
    Set<Class<?>> loaded = new HashSet<>();
    if (!names.isEmpty()) {
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (names.contains(type.getName())) {
          loaded.add(type);
        }
      }
    }
    return loaded;
  }

  /**
   * The loaded classes some instrumentation could match, judged from the classes themselves; the
   * transformer decides exactly when they are retransformed.
   */
  private Set<Class<?>> matchingLoadedClasses(Instrumentation instrumentation, List<WovenType> types) {
    Set<String> names = new HashSet<>();
    Set<String> superTypeNames = new HashSet<>();
    for (WovenType type : types) {
      names.addAll(type.type.typeNames());
      if (type.type.superTypeName() != null) {
        superTypeNames.add(type.type.superTypeName());
      }
    }
    Set<Class<?>> matching = new HashSet<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (!instrumentation.isModifiableClass(type) || isAgentLoader(type.getClassLoader(), agentLoader)) {
        continue;
      }
      if (names.contains(type.getName()) || (!type.isInterface() && extendsAny(type, superTypeNames))) {
        matching.add(type);
      }
    }
    return matching;
  }

  private static boolean extendsAny(Class<?> type, Set<String> names) {
    if (type == null || names.isEmpty()) {
      return false;
    }
    if (names.contains(type.getName())) {
      return true;
    }
    try {
      if (extendsAny(type.getSuperclass(), names)) {
        return true;
      }
      for (Class<?> anInterface : type.getInterfaces()) {
        if (extendsAny(anInterface, names)) {
          return true;
        }
      }
    } catch (LinkageError unresolvable) {
      // A supertype the class path lacks: not one the agent matches.
    }
    return false;
  }

  /** One batch; should one class refuse, the others one by one, so that one does not stop them. */
  private static void retransform(Instrumentation instrumentation, Set<Class<?>> classes) {
    if (classes.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
    } catch (UnmodifiableClassException | RuntimeException | LinkageError batchFailed) {
      for (Class<?> type : classes) {
        try {
          instrumentation.retransformClasses(type);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
          AgentLog.get().debug("could not instrument loaded class " + type.getName(), e);
        }
      }
    }
  }

  /**
   * The agent's own class loader, whose classes are never woven. In the agent's tests the agent
   * runs from the system class loader, together with the libraries it instruments: not skipped.
   */
  static boolean isAgentLoader(ClassLoader loader, ClassLoader agentLoader) {
    return loader != null && loader == agentLoader && loader != ClassLoader.getSystemClassLoader();
  }
}
