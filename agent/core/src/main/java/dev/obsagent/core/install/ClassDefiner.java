package dev.obsagent.core.install;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines a class in an application's class loader, through that loader's own
 * {@code ClassLoader.defineClass}, as if the loader had found the class itself.
 *
 * <p>{@code defineClass} is protected, so it is called reflectively, which {@code java.base} only
 * allows to modules it opens {@code java.lang} to. The agent holds an {@link Instrumentation},
 * so it asks the JVM to open {@code java.lang} to the agent's own module (the unnamed module of
 * the agent's class loader) and to no one else. Byte Buddy's {@code ClassInjector.UsingReflection}
 * and {@code UsingUnsafe} do the same job through {@code sun.misc.Unsafe}, which JDK 24 and later
 * report on the application's standard error as "terminally deprecated", and which a later JDK
 * removes.
 */
final class ClassDefiner {

  private final Method getClassLoadingLock;
  private final Method findLoadedClass;
  private final Method defineClass;

  private ClassDefiner(Method getClassLoadingLock, Method findLoadedClass, Method defineClass) {
    this.getClassLoadingLock = getClassLoadingLock;
    this.findLoadedClass = findLoadedClass;
    this.defineClass = defineClass;
  }

  /** Opens {@code java.lang} to the agent's module and looks up the class loader methods once. */
  static ClassDefiner open(Instrumentation instrumentation) {
    Module javaBase = ClassLoader.class.getModule();
    Module agent = ClassDefiner.class.getModule();
    if (!javaBase.isOpen("java.lang", agent)) {
      instrumentation.redefineModule(
          javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());
    }
    try {
      Method lock = ClassLoader.class.getDeclaredMethod("getClassLoadingLock", String.class);
      Method find = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
      Method define =
          ClassLoader.class.getDeclaredMethod(
              "defineClass", String.class, byte[].class, int.class, int.class, ProtectionDomain.class);
      lock.setAccessible(true);
      find.setAccessible(true);
      define.setAccessible(true);
      return new ClassDefiner(lock, find, define);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("java.lang.ClassLoader lacks a method every JDK since 7 has", e);
    }
  }

  /**
   * Defines the class in the loader unless the loader already has it (another thread may have
   * defined it a moment ago: both hold the loader's lock for that class name, as its own
   * {@code loadClass} would).
   */
  Class<?> define(ClassLoader loader, String className, byte[] bytes) {
    try {
      synchronized (getClassLoadingLock.invoke(loader, className)) {
        Class<?> existing = (Class<?>) findLoadedClass.invoke(loader, className);
        if (existing != null) {
          return existing;
        }
        return (Class<?>) defineClass.invoke(loader, className, bytes, 0, bytes.length, null);
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot define " + className + " in " + loader, e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot define " + className + " in " + loader, e);
    }
  }
}
