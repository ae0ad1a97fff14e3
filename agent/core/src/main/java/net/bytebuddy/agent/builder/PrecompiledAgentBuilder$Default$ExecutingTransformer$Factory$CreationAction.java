package net.bytebuddy.agent.builder;

import java.security.PrivilegedAction;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * In the agent jar, this class takes the place of Byte Buddy's
 * {@code AgentBuilder$Default$ExecutingTransformer$Factory$CreationAction}: the shade plugin
 * leaves Byte Buddy's class out and relocates this one onto its name (see agent/pom.xml). Byte
 * Buddy's transformer class reads {@link #INSTANCE} when it is initialised and runs it to get the
 * factory of its transformers. Byte Buddy's own action generates a transformer subclass at that
 * moment; this one returns a factory of the precompiled {@link ModuleAwareExecutingTransformer}.
 *
 * <p>javac cannot compile a class under a name that is also a nested class's binary name in the
 * same package, hence this name and the relocation. Outside the agent jar (the agent's own
 * tests) Byte Buddy's action runs as usual. {@code ByteBuddyPrecompiledTransformerIT} checks that
 * the agent jar uses this one.
 */
public final class PrecompiledAgentBuilder$Default$ExecutingTransformer$Factory$CreationAction
    implements PrivilegedAction<AgentBuilder.Default.ExecutingTransformer.Factory>,
        AgentBuilder.Default.ExecutingTransformer.Factory {

  /** The one field Byte Buddy reads. */
  public static final PrecompiledAgentBuilder$Default$ExecutingTransformer$Factory$CreationAction INSTANCE =
      new PrecompiledAgentBuilder$Default$ExecutingTransformer$Factory$CreationAction();

  private PrecompiledAgentBuilder$Default$ExecutingTransformer$Factory$CreationAction() {}

  @Override
  public AgentBuilder.Default.ExecutingTransformer.Factory run() {
    return this;
  }

  @Override
  public ResettableClassFileTransformer make(
      ByteBuddy byteBuddy,
      AgentBuilder.Listener listener,
      AgentBuilder.PoolStrategy poolStrategy,
      AgentBuilder.TypeStrategy typeStrategy,
      AgentBuilder.LocationStrategy locationStrategy,
      ClassFileLocator classFileLocator,
      AgentBuilder.Default.NativeMethodStrategy nativeMethodStrategy,
      AgentBuilder.InitializationStrategy initializationStrategy,
      AgentBuilder.InjectionStrategy injectionStrategy,
      AgentBuilder.LambdaInstrumentationStrategy lambdaInstrumentationStrategy,
      AgentBuilder.DescriptionStrategy descriptionStrategy,
      AgentBuilder.FallbackStrategy fallbackStrategy,
      AgentBuilder.ClassFileBufferStrategy classFileBufferStrategy,
      AgentBuilder.InstallationListener installationListener,
      AgentBuilder.RawMatcher ignoreMatcher,
      AgentBuilder.RedefinitionStrategy.ResubmissionEnforcer resubmissionEnforcer,
      List<AgentBuilder.Default.Transformation> transformations,
      AgentBuilder.CircularityLock circularityLock) {
    return new ModuleAwareExecutingTransformer(
        byteBuddy, listener, poolStrategy, typeStrategy, locationStrategy, classFileLocator, nativeMethodStrategy,
        initializationStrategy, injectionStrategy, lambdaInstrumentationStrategy, descriptionStrategy,
        fallbackStrategy, classFileBufferStrategy, installationListener, ignoreMatcher, resubmissionEnforcer,
        transformations, circularityLock);
  }
}
