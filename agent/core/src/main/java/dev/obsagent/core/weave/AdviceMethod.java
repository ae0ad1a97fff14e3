package dev.obsagent.core.weave;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * One advice method, read from its class file: its code, and what each of its parameters stands
 * for (see {@link dev.obsagent.core.api.Advice}).
 */
final class AdviceMethod {

  private static final String ANNOTATIONS = "Ldev/obsagent/core/api/Advice$";

  /** What an advice parameter stands for. */
  enum Kind {
    THIS("This"),
    ARGUMENT("Argument"),
    ENTER("Enter"),
    RETURN("Return"),
    THROWN("Thrown"),
    FIELD("FieldValue");

    final String descriptor;

    Kind(String annotation) {
      this.descriptor = ANNOTATIONS + annotation + ";";
    }
  }

  /** One parameter of the advice method. */
  static final class Parameter {
    final Kind kind;
    final Type type;
    /** The advice method's own slot for it. */
    final int slot;
    /** The argument's index ({@link Kind#ARGUMENT}). */
    final int index;
    /** The field's name ({@link Kind#FIELD}). */
    final String field;
    /** Whether the advice may assign it, and the instrumented method then sees the new value. */
    final boolean writable;
    /** An {@link Kind#ARGUMENT} that a method may lack: then null (or 0). */
    final boolean optional;

    Parameter(Kind kind, Type type, int slot, int index, String field, boolean writable, boolean optional) {
      this.kind = kind;
      this.type = type;
      this.slot = slot;
      this.index = index;
      this.field = field;
      this.writable = writable;
      this.optional = optional;
    }
  }

  final String adviceClass;
  final MethodNode code;
  final Parameter[] parameters;
  /** The first slot after the parameters: the advice's own locals start here. */
  final int firstLocal;
  final Type returnType;
  /** The internal name of the throwable type suppressed, or null. */
  final String suppress;
  /** Exit advice: the internal name of the throwable type it also runs on, or null. */
  final String onThrowable;

  private AdviceMethod(String adviceClass, MethodNode code, Parameter[] parameters, int firstLocal, String suppress, String onThrowable) {
    this.adviceClass = adviceClass;
    this.code = code;
    this.parameters = parameters;
    this.firstLocal = firstLocal;
    this.returnType = Type.getReturnType(code.desc);
    this.suppress = suppress;
    this.onThrowable = onThrowable;
  }

  /** @param marker the {@code OnMethodEnter} or {@code OnMethodExit} annotation on it */
  static AdviceMethod read(String adviceClass, MethodNode method, AnnotationNode marker) throws WeavingException {
    if ((method.access & Opcodes.ACC_STATIC) == 0) {
      throw new WeavingException(adviceClass + "." + method.name + " must be static");
    }
    Type[] types = Type.getArgumentTypes(method.desc);
    Parameter[] parameters = new Parameter[types.length];
    int slot = 0;
    for (int i = 0; i < types.length; i++) {
      parameters[i] = parameter(adviceClass, method, i, types[i], slot);
      slot += types[i].getSize();
    }
    return new AdviceMethod(
        adviceClass, method, parameters, slot, typeValue(marker, "suppress"), typeValue(marker, "onThrowable"));
  }

  private static Parameter parameter(String adviceClass, MethodNode method, int index, Type type, int slot)
      throws WeavingException {
    for (Kind kind : Kind.values()) {
      AnnotationNode annotation = parameterAnnotation(method, index, kind.descriptor);
      if (annotation == null) {
        continue;
      }
      boolean writable = Boolean.FALSE.equals(value(annotation, "readOnly"));
      switch (kind) {
        case ARGUMENT:
          return new Parameter(
              kind, type, slot, (Integer) value(annotation, "value"), null, writable, Boolean.TRUE.equals(value(annotation, "optional")));
        case FIELD:
          return new Parameter(kind, type, slot, -1, (String) value(annotation, "value"), false, false);
        default:
          return new Parameter(kind, type, slot, -1, null, writable, false);
      }
    }
    throw new WeavingException(
        adviceClass + "." + method.name + ": parameter " + index + " has no dev.obsagent.core.api.Advice annotation");
  }

  static AnnotationNode annotation(List<AnnotationNode> visible, List<AnnotationNode> invisible, String descriptor) {
    AnnotationNode found = find(visible, descriptor);
    return found != null ? found : find(invisible, descriptor);
  }

  private static AnnotationNode parameterAnnotation(MethodNode method, int index, String descriptor) {
    return annotation(at(method.visibleParameterAnnotations, index), at(method.invisibleParameterAnnotations, index), descriptor);
  }

  private static List<AnnotationNode> at(List<AnnotationNode>[] annotations, int index) {
    return annotations != null && index < annotations.length ? annotations[index] : null;
  }

  private static AnnotationNode find(List<AnnotationNode> annotations, String descriptor) {
    if (annotations != null) {
      for (AnnotationNode annotation : annotations) {
        if (annotation.desc.equals(descriptor)) {
          return annotation;
        }
      }
    }
    return null;
  }

  private static Object value(AnnotationNode annotation, String name) {
    if (annotation.values != null) {
      for (int i = 0; i < annotation.values.size(); i += 2) {
        if (annotation.values.get(i).equals(name)) {
          return annotation.values.get(i + 1);
        }
      }
    }
    return null;
  }

  /** A {@code Class} element's internal name; null when absent or {@code void.class}. */
  private static String typeValue(AnnotationNode annotation, String name) {
    Object value = value(annotation, name);
    if (!(value instanceof Type) || ((Type) value).getSort() == Type.VOID) {
      return null;
    }
    return ((Type) value).getInternalName();
  }

  boolean uses(Kind kind) {
    for (Parameter parameter : parameters) {
      if (parameter.kind == kind) {
        return true;
      }
    }
    return false;
  }
}
