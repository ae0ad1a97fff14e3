package dev.obsagent.core.install;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.obsagent.core.logging.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves an advice into a class of the agent's own once, on the agent's start thread, and throws
 * the result away. The first class the application loads that an instrumentation matches would
 * otherwise pay for loading and initialising several hundred classes of Byte Buddy's
 * redefinition and advice pipeline, on the application's main thread (about 140 ms of the
 * demo's first woven class); done here, they are ready or being loaded by the time it comes.
 * Nothing is defined, and any failure only costs that head start.
 */
final class WeavingWarmUp {

  private WeavingWarmUp() {}

  /**
   * The same path the installer's transformer takes: a frozen redefinition and ForAdvice.
   *
   * @return whether the advice was woven (false is logged at debug level)
   */
  static boolean run(ClassLoader agentLoader) {
    try {
      ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(agentLoader);
      TypeDescription target = TypePool.Default.WithLazyResolution.of(locator).describe(Target.class.getName()).resolve();
      DynamicType.Builder<?> builder =
          InstrumentationInstaller.byteBuddy()
              // What the installer's disableClassFormatChanges() has Byte Buddy do to a class.
              .with(InstrumentedType.Factory.Default.FROZEN)
              .with(VisibilityBridgeStrategy.Default.NEVER)
              .redefine(target, locator);
      builder =
          new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .withExceptionHandler(InstrumentationInstaller.countingExceptionHandler("warm-up"))
              .advice(named("add"), SampleAdvice.class.getName())
              .transform(builder, target, agentLoader, null, null);
      return builder.make().getBytes().length > 0;
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().debug("weaving warm-up failed; the first woven class pays for it", e);
      return false;
    }
  }

  /** Only ever described and rewritten, never loaded from the rewritten bytes. */
  static final class Target {
    int add(int a, int b) {
      return a + b;
    }
  }

  /** Uses the advice features the instrumentations use most: arguments, return, thrown, enter. */
  static final class SampleAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.Argument(0) int a, @Advice.This Object self) {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long started, @Advice.Return int sum, @Advice.Thrown Throwable thrown) {
      // nothing: the bytes are thrown away
    }
  }
}
