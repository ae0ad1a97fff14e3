package dev.obsagent.core.install;

import static dev.obsagent.core.api.MethodMatchers.named;

import dev.obsagent.core.api.Advice;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.weave.AdviceClass;
import dev.obsagent.core.weave.ClassWeaver;
import dev.obsagent.core.weave.WeavingException;
import java.io.IOException;
import java.util.List;

/**
 * Weaves an advice into a class of the agent's own once, on the agent's start thread, and throws
 * the result away. The first class the application loads that an instrumentation matches would
 * otherwise pay for loading and initialising the weaver's classes (ASM's reader, tree and writer)
 * on the application's thread; done here, they are ready by the time it comes. Nothing is
 * defined, and any failure only costs that head start.
 */
final class WeavingWarmUp {

  private WeavingWarmUp() {}

  /** @return whether the advice was woven (false is logged at debug level) */
  static boolean run(ClassLoader agentLoader) {
    try {
      AdviceClass advice = AdviceClass.read(AgentClassFiles.read(agentLoader, SampleAdvice.class.getName()));
      byte[] woven =
          ClassWeaver.weave(
              AgentClassFiles.read(agentLoader, Target.class.getName()),
              List.of(new ClassWeaver.Binding(named("add"), advice, "warm-up")));
      return woven != null && woven.length > 0;
    } catch (WeavingException | IOException | RuntimeException | LinkageError e) {
      AgentLog.get().debug("weaving warm-up failed; the first woven class pays for it", e);
      return false;
    }
  }

  /** Only ever read and rewritten, never loaded from the rewritten bytes. */
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
