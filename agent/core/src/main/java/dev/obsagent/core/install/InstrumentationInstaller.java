package dev.obsagent.core.install;


import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.SuperTypes;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.core.logging.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves every enabled module's advice with one Byte Buddy {@link AgentBuilder}: types are matched
 * through a cached type pool without loading them, ignored types are skipped by name first, and
 * every advice is given an exception handler that counts what it suppressed.
 */
public final class InstrumentationInstaller {

  private final ClassLoader agentLoader;

  /** Names of the woven JDK types Byte Buddy has transformed so far. */
  private final Set<String> jdkTypesWoven = ConcurrentHashMap.newKeySet();
  private Set<String> wovenJdkTypes = Collections.emptySet();
  private ResettableClassFileTransformer transformer;

  public InstrumentationInstaller(ClassLoader agentLoader) {
    this.agentLoader = agentLoader;
    ByteBuddySwitches.generateJavaDispatchers();
  }

  public void install(Instrumentation instrumentation, List<InstrumentationModule> modules, boolean attachedLate) {
    // JDK classes can be woven only when their advice can link to the bridge: it must be on the
    // bootstrap class path (always so in the agent jar; the agent's tests put it there with
    // -Xbootclasspath/a), else they are left alone.
    wovenJdkTypes =
        InstrumentationErrors.class.getClassLoader() == null ? IgnoredTypes.WOVEN_JDK_TYPES : Collections.emptySet();
    ClassDefiner helperDefiner = ClassDefiner.open(instrumentation);
    IgnoredTypes ignoredTypes = new IgnoredTypes(wovenJdkTypes);
    Map<InstrumentationModule, List<TypeInstrumentation>> typesByModule = new LinkedHashMap<>();
    List<TypeInstrumentation> instrumentations = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      typesByModule.put(module, module.typeInstrumentations());
      instrumentations.addAll(typesByModule.get(module));
    }
    AgentBuilder builder =
        newAgentBuilder(byteBuddy())
            .disableClassFormatChanges()
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            // The cached type descriptions keep their type pool, whose class file locator would
            // otherwise hold the class loader strongly: the weak cache's value would keep its own
            // key alive, and no undeployed web application's loader could ever be collected.
            .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
            .with(new WeakTypePoolCache())
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new ErrorLogger())
            .with(new JdkTypesWoven())
            .with(new SuperTypeMatchingScope())
            // Woven code in a named module (java.net.http) must read the bridge's module, the
            // bootstrap loader's unnamed one, to call it.
            .assureReadEdgeTo(instrumentation, InstrumentationErrors.class)
            .with(CandidateFilter.decorator(instrumentations, ignoredTypes, agentLoader))
            .ignore(ignoredTypes)
            .or(new AgentLoaderMatcher(agentLoader));
    AgentBuilder.RedefinitionListenable.WithoutBatchStrategy retransforming =
        builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    // At premain nothing of the application is loaded yet, but a woven JDK class may be: another
    // agent, a JVM option or the agent's own start-up on the thread beside this one may have
    // loaded java.net.http. Only those are retransformed: the ones loaded now, and through
    // catchUpOnJdkTypes the ones loaded before the transformer was registered.
    builder =
        attachedLate
            ? retransforming
            : retransforming.with(
                new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(
                    loadedClasses(instrumentation, wovenJdkTypes)));
    for (Map.Entry<InstrumentationModule, List<TypeInstrumentation>> moduleTypes : typesByModule.entrySet()) {
      Advice.ExceptionHandler exceptionHandler = countingExceptionHandler(moduleTypes.getKey().name());
      for (TypeInstrumentation type : moduleTypes.getValue()) {
        AgentBuilder.Identified.Extendable extendable =
            builder
                .type(type.types(), new ClassLoaderSees(type.requiredClasses()))
                .transform(new HelperInjector(type.helperClassNames(), agentLoader, helperDefiner));
        for (TypeInstrumentation.AdviceBinding binding : type.advice()) {
          extendable =
              extendable.transform(
                  new AgentBuilder.Transformer.ForAdvice()
                      .include(agentLoader)
                      .withExceptionHandler(exceptionHandler)
                      .advice(binding.methods, binding.adviceClassName));
        }
        builder = extendable;
      }
    }
    transformer = builder.installOn(instrumentation);
  }

  /**
   * Weaves the woven JDK types that were loaded after {@link #install} looked for them but before
   * its transformer was registered. Called once the agent's own start-up work is done.
   */
  public void catchUpOnJdkTypes(Instrumentation instrumentation) throws UnmodifiableClassException {
    Set<Class<?>> missed = loadedClasses(instrumentation, wovenJdkTypes);
    missed.removeIf(type -> jdkTypesWoven.contains(type.getName()));
    if (!missed.isEmpty()) {
      instrumentation.retransformClasses(missed.toArray(new Class<?>[0]));
    }
  }

  /**
   * Loads Byte Buddy's weaving pipeline ahead of the first matched class (see {@link
   * WeavingWarmUp}); meant for a thread other than the application's.
   */
  public void warmUp() {
    WeavingWarmUp.run(agentLoader);
  }

  /** Takes the weaving out again, when the agent cannot start after all. */
  public void uninstall(Instrumentation instrumentation) {
    if (transformer != null) {
      transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
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
   * {@code new AgentBuilder.Default(...)} prepares Byte Buddy's "nexus" for its default
   * initialization strategy, even though this agent replaces that strategy with
   * {@code NoOp} (advice needs no initializer). Preparing it defines a Byte Buddy class in the
   * application's system class loader and reaches for {@code sun.misc.Unsafe}, which JDK 24 and
   * later answer with four "terminally deprecated" warning lines on the application's standard
   * error. Byte Buddy reads the system property {@link Nexus#PROPERTY} once, when the nexus is
   * first prepared ({@link ByteBuddySwitches}).
   */
  private static AgentBuilder newAgentBuilder(ByteBuddy byteBuddy) {
    return ByteBuddySwitches.withProperty(Nexus.PROPERTY, () -> new AgentBuilder.Default(byteBuddy));
  }

  /**
   * The Byte Buddy every class is woven with. Advice only ever targets methods a type declares
   * itself, so Byte Buddy need not compile the whole inherited method graph (slow for huge
   * parents, e.g. Jedis' pipelines: ~250 ms down to ~20 ms per class).
   */
  static ByteBuddy byteBuddy() {
    return new ByteBuddy().with(TypeValidation.DISABLED).with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
  }

  /** Woven code pushes the module name and calls {@link InstrumentationErrors#record}. */
  static Advice.ExceptionHandler countingExceptionHandler(String moduleName) {
    try {
      MethodDescription record =
          new MethodDescription.ForLoadedMethod(
              InstrumentationErrors.class.getMethod("record", Throwable.class, String.class));
      return new Advice.ExceptionHandler.Simple(
          new StackManipulation.Compound(new TextConstant(moduleName), MethodInvocation.invoke(record)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Never transform classes of the agent's own class loader. */
  private static final class AgentLoaderMatcher implements AgentBuilder.RawMatcher {
    private final ClassLoader agentLoader;

    AgentLoaderMatcher(ClassLoader agentLoader) {
      this.agentLoader = agentLoader;
    }

    @Override
    public boolean matches(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        Class<?> classBeingRedefined,
        java.security.ProtectionDomain protectionDomain) {
      return isAgentLoader(loader, agentLoader);
    }
  }

  /**
   * The agent's own class loader, whose classes are never woven. In the agent's tests the agent
   * runs from the system class loader, together with the libraries it instruments: not skipped.
   */
  static boolean isAgentLoader(ClassLoader loader, ClassLoader agentLoader) {
    return loader != null && loader == agentLoader && loader != ClassLoader.getSystemClassLoader();
  }

  /** Remembers which woven JDK types were transformed, for {@link #catchUpOnJdkTypes}. */
  private final class JdkTypesWoven extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      if (loader == null && wovenJdkTypes.contains(type.getName())) {
        jdkTypesWoven.add(type.getName());
      }
    }
  }

  /** Lets {@link SuperTypes} remember supertype masks per class loader while a class is matched. */
  private static final class SuperTypeMatchingScope extends AgentBuilder.Listener.Adapter {
    @Override
    public void onDiscovery(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
      SuperTypes.matchingIn(loader);
    }

    // Byte Buddy calls this in a finally block after every discovery, and its circularity lock
    // keeps one thread from matching two classes at once: the scope never nests.
    @Override
    public void onComplete(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
      SuperTypes.doneMatching();
    }
  }

  /** Weaving failures are logged at debug level, naming the type; the class loads unchanged. */
  private static final class ErrorLogger extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      AgentLog.get().debug("could not instrument " + typeName, error);
    }

    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      AgentLog log = AgentLog.get();
      if (log.isEnabled(AgentLog.Level.DEBUG)) {
        log.debug("instrumented " + type.getName());
      }
    }
  }

}
