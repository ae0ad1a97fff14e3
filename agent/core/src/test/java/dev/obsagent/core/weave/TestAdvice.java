package dev.obsagent.core.weave;

import dev.obsagent.core.api.Advice;

/** Advice classes for {@link ClassWeaverTest}; read from their class files, never loaded by the weaver. */
public final class TestAdvice {

  private TestAdvice() {}

  public static final class SeesEverything {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(
        @Advice.This Object self, @Advice.Argument(0) String name, @Advice.Argument(1) long times, @Advice.FieldValue("salutation") String salutation) {
      long started = times * 1000;
      for (int i = 0; i < 2; i++) {
        started++;
      }
      Recorder.event("enter " + name + " " + times + " " + salutation + " " + (self != null));
      return started;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter long started,
        @Advice.Argument(2) double weight,
        @Advice.Return String result,
        @Advice.Thrown Throwable thrown) {
      String outcome = thrown == null ? "returned " + result : "threw " + thrown.getClass().getSimpleName();
      Recorder.event("exit " + started + " " + weight + " " + outcome);
    }
  }

  public static final class ReplacesArgumentAndResult {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(value = 0, readOnly = false) String name) {
      name = name.toUpperCase();
      return "token";
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter String token, @Advice.Return(readOnly = false) String result) {
      result = result + " [" + token + "]";
    }
  }

  public static final class FailsOnEnter {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static String enter() {
      Recorder.fail();
      return "never";
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter String fromEnter, @Advice.Thrown Throwable thrown) {
      Recorder.event("exit after a failed enter: " + fromEnter);
      Recorder.fail();
    }
  }

  public static final class StaticInt {
    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(0) int value) {
      Recorder.event("enter " + value);
    }

    @Advice.OnMethodExit
    public static void exit(@Advice.Return(readOnly = false) int result) {
      result = result + 1;
    }
  }

  public static final class OptionalArgument {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) String value, @Advice.Argument(value = 3, optional = true) String absent) {
      Recorder.event("enter " + value + " " + absent);
    }
  }

  public static final class VoidExit {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String value, @Advice.Thrown Throwable thrown) {
      Recorder.event("stored " + value);
    }
  }

  public static final class Outer {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      Recorder.event("outer enter");
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      Recorder.event("outer exit");
    }
  }

  public static final class WritesReadOnlyArgument {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) String name) {
      name = "changed";
      Recorder.event(name);
    }
  }

  public static final class ReturnOnVoid {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object result) {
      Recorder.event("never");
    }
  }

  public static final class WrongWritableType {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Object name) {
      name = "changed";
    }
  }

  public static final class ExitSeesArgument {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String text, @Advice.Return String result) {
      Recorder.event("[" + text + "] -> [" + result + "]");
    }
  }

  /** No string concatenation: that is an invokedynamic, which Java 5 class files cannot hold. */
  public static final class RecordsPlainly {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String text, @Advice.Return String result) {
      Recorder.event(text);
      Recorder.event(result);
    }
  }
}
