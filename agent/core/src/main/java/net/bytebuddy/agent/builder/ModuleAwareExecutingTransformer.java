package net.bytebuddy.agent.builder;

import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Byte Buddy's transformer, told which module each class belongs to.
 *
 * <p>Byte Buddy is compiled for Java 5, so its transformer cannot override the Java 9 method that
 * receives the module; without the module, woven code in a named module (java.net.http) gets no
 * read edge to the agent's bridge. Byte Buddy makes up for it by generating this very subclass at
 * run time, when its transformer class is first initialised: about 600 classes of its code
 * generation pipeline and some 250 ms of premain, on the application's main thread. This class is
 * that subclass, compiled ahead of time; the agent jar hands it to Byte Buddy through
 * {@code PrecompiledAgentBuilder$Default$ExecutingTransformer$Factory$CreationAction}.
 *
 * <p>It lives in Byte Buddy's package because the transformer is a protected member there.
 */
public class ModuleAwareExecutingTransformer extends AgentBuilder.Default.ExecutingTransformer {

  /** Byte Buddy's own constructor, argument for argument. */
  public ModuleAwareExecutingTransformer(
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
    super(
        byteBuddy, listener, poolStrategy, typeStrategy, locationStrategy, classFileLocator, nativeMethodStrategy,
        initializationStrategy, injectionStrategy, lambdaInstrumentationStrategy, descriptionStrategy,
        fallbackStrategy, classFileBufferStrategy, installationListener, ignoreMatcher, resubmissionEnforcer,
        transformations, circularityLock);
  }

  /** What the generated subclass does: hand the module to Byte Buddy's module-taking method. */
  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    return super.transform((Object) module, loader, internalName, classBeingRedefined, protectionDomain, classFile);
  }
}
