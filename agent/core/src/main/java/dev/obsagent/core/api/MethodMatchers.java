package dev.obsagent.core.api;

import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** The method matchers the instrumentation modules are written with. */
public final class MethodMatchers {

  private MethodMatchers() {}

  public static MethodMatcher named(String name) {
    return (access, methodName, descriptor) -> methodName.equals(name);
  }

  public static MethodMatcher namedOneOf(String... names) {
    Set<String> set = Set.of(names);
    return (access, methodName, descriptor) -> set.contains(methodName);
  }

  public static MethodMatcher takesNoArguments() {
    return takesArguments(0);
  }

  public static MethodMatcher takesArguments(int count) {
    return (access, name, descriptor) -> Type.getArgumentCount(descriptor) == count;
  }

  /** Exactly these parameter types, in this order. */
  public static MethodMatcher takesArguments(Class<?>... types) {
    StringBuilder parameters = new StringBuilder("(");
    for (Class<?> type : types) {
      parameters.append(Type.getDescriptor(type));
    }
    String prefix = parameters.append(')').toString();
    return (access, name, descriptor) -> descriptor.startsWith(prefix);
  }

  /** The parameter at {@code index} is of exactly this type. */
  public static MethodMatcher takesArgument(int index, Class<?> type) {
    return takesArgument(index, type.getName());
  }

  /**
   * The parameter at {@code index} is of the type with this name, as {@link Class#getName} writes
   * it ({@code java.lang.String}, {@code java.net.http.HttpResponse$BodyHandler}, {@code [[B}).
   */
  public static MethodMatcher takesArgument(int index, String typeName) {
    String descriptor = descriptorOf(typeName);
    return (access, name, methodDescriptor) -> {
      Type[] arguments = Type.getArgumentTypes(methodDescriptor);
      return index < arguments.length && arguments[index].getDescriptor().equals(descriptor);
    };
  }

  public static MethodMatcher isAbstract() {
    return hasAccess(Opcodes.ACC_ABSTRACT);
  }

  public static MethodMatcher isStatic() {
    return hasAccess(Opcodes.ACC_STATIC);
  }

  public static MethodMatcher isPublic() {
    return hasAccess(Opcodes.ACC_PUBLIC);
  }

  public static MethodMatcher isPrivate() {
    return hasAccess(Opcodes.ACC_PRIVATE);
  }

  public static MethodMatcher not(MethodMatcher matcher) {
    return (access, name, descriptor) -> !matcher.matches(access, name, descriptor);
  }

  private static MethodMatcher hasAccess(int flag) {
    return (access, name, descriptor) -> (access & flag) != 0;
  }

  private static String descriptorOf(String typeName) {
    switch (typeName) {
      case "boolean": return "Z";
      case "byte": return "B";
      case "char": return "C";
      case "short": return "S";
      case "int": return "I";
      case "long": return "J";
      case "float": return "F";
      case "double": return "D";
      default:
        // Class.getName() of an array is already a descriptor with dots: [Ljava.lang.String;
        return typeName.startsWith("[") ? typeName.replace('.', '/') : "L" + typeName.replace('.', '/') + ";";
    }
  }
}
