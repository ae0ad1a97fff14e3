package dev.obsagent.core.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotations an advice class is written with. An advice class holds up to two static methods:
 * one marked {@link OnMethodEnter}, whose code runs before the body of every method it is bound to,
 * and one marked {@link OnMethodExit}, whose code runs after it. Their code is copied into the
 * instrumented method (see {@code dev.obsagent.core.weave.AdviceInliner}): the advice class itself
 * is never loaded, so it may use only what the instrumented class's loader can see (JDK types,
 * the library's types, the bridge on the bootstrap class path and injected helpers).
 *
 * <p>Each parameter of an advice method says which value of the instrumented method it stands for.
 */
public final class Advice {

  private Advice() {}

  /** Runs before the method body; what it returns is the {@link Enter} value of the exit advice. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface OnMethodEnter {
    /** A throwable of this type thrown by the advice is counted and dropped; {@code void}: none. */
    Class<?> suppress() default void.class;
  }

  /** Runs after the method body, when it returns and, with {@link #onThrowable}, when it throws. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface OnMethodExit {
    /** Also run when the body throws this type (then rethrown); {@code void}: on return only. */
    Class<?> onThrowable() default void.class;

    /** A throwable of this type thrown by the advice is counted and dropped; {@code void}: none. */
    Class<?> suppress() default void.class;
  }

  /** The instrumented object. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface This {}

  /** An argument of the instrumented method; with {@code readOnly = false} the enter advice may replace it. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Argument {
    int value();

    boolean readOnly() default true;

    /** A method without this argument gets null (or 0) instead of being left unwoven. */
    boolean optional() default false;
  }

  /** What the enter advice returned. Exit advice only. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Enter {}

  /**
   * The value the method returns (its type's default when it threw); with {@code readOnly = false}
   * the exit advice may replace it. Exit advice only.
   */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Return {
    boolean readOnly() default true;
  }

  /** What the method threw, or null. Exit advice with {@link OnMethodExit#onThrowable} only. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Thrown {}

  /** A field of the instrumented class, read when the advice starts. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface FieldValue {
    String value();
  }
}
