package dev.obsagent.core.install;


import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.core.logging.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
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

  public InstrumentationInstaller(ClassLoader agentLoader) {
    this.agentLoader = agentLoader;
  }

  public void install(Instrumentation instrumentation, List<InstrumentationModule> modules, boolean attachedLate) {
    // JDK classes can be woven only when their advice can link to the bridge: it must be on the
    // bootstrap class path (always so in the agent jar; the agent's tests put it there with
    // -Xbootclasspath/a), else they are left alone.
    Set<String> wovenJdkTypes =
        InstrumentationErrors.class.getClassLoader() == null ? IgnoredTypes.WOVEN_JDK_TYPES : Collections.emptySet();
    ClassDefiner helperDefiner = ClassDefiner.open(instrumentation);
    AgentBuilder builder =
        // Advice only ever targets methods a type declares itself, so Byte Buddy need not
        // compile the whole inherited method graph (slow for huge parents, e.g. Jedis'
        // pipelines: ~250 ms down to ~20 ms per class).
        newAgentBuilder(
                new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
            .disableClassFormatChanges()
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            // The cached type descriptions keep their type pool, whose class file locator would
            // otherwise hold the class loader strongly: the weak cache's value would keep its own
            // key alive, and no undeployed web application's loader could ever be collected.
            .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
            .with(new WeakTypePoolCache())
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new ErrorLogger())
            // Woven code in a named module (java.net.http) must read the bridge's module, the
            // bootstrap loader's unnamed one, to call it.
            .assureReadEdgeTo(instrumentation, InstrumentationErrors.class)
            .ignore(new IgnoredTypes(wovenJdkTypes))
            .or(new AgentLoaderMatcher(agentLoader));
    if (attachedLate) {
      builder = builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    } else {
      // At premain nothing of the application is loaded yet, but a JDK class may be (another
      // agent, or a JVM option, may have loaded java.net.http). Only those are retransformed.
      Set<Class<?>> loadedJdkTypes = loadedClasses(instrumentation, wovenJdkTypes);
      builder =
          loadedJdkTypes.isEmpty()
              ? builder.with(AgentBuilder.RedefinitionStrategy.DISABLED)
              : builder
                  .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                  .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(loadedJdkTypes));
    }
    for (InstrumentationModule module : modules) {
      Advice.ExceptionHandler exceptionHandler = countingExceptionHandler(module.name());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
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
    builder.installOn(instrumentation);
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
   * first prepared: it is set only for that moment. In the agent jar both this code and Byte
   * Buddy are relocated, so the property is the agent's own and never changes an application's
   * Byte Buddy.
   */
  private static AgentBuilder newAgentBuilder(ByteBuddy byteBuddy) {
    String previous = System.getProperty(Nexus.PROPERTY);
    System.setProperty(Nexus.PROPERTY, "true");
    try {
      return new AgentBuilder.Default(byteBuddy);
    } finally {
      if (previous == null) {
        System.clearProperty(Nexus.PROPERTY);
      } else {
        System.setProperty(Nexus.PROPERTY, previous);
      }
    }
  }

  /** Woven code pushes the module name and calls {@link InstrumentationErrors#record}. */
  private static Advice.ExceptionHandler countingExceptionHandler(String moduleName) {
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
      return loader != null && loader == agentLoader && !(loader == ClassLoader.getSystemClassLoader());
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
