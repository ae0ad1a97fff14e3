package dev.obsagent.core.api;

/**
 * Which methods of a matched type an advice is woven into, decided from what the class file says
 * of a method: its access flags, name and descriptor. Made with {@link MethodMatchers}.
 */
@FunctionalInterface
public interface MethodMatcher {

  /**
   * @param access the method's access flags ({@code org.objectweb.asm.Opcodes.ACC_*})
   * @param descriptor the method's descriptor, {@code (Ljava/lang/String;)V}
   */
  boolean matches(int access, String name, String descriptor);

  default MethodMatcher and(MethodMatcher other) {
    return (access, name, descriptor) -> matches(access, name, descriptor) && other.matches(access, name, descriptor);
  }

  default MethodMatcher or(MethodMatcher other) {
    return (access, name, descriptor) -> matches(access, name, descriptor) || other.matches(access, name, descriptor);
  }
}
