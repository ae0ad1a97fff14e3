package dev.obsagent.core.weave;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * An advice class read from its class file (never loaded): its enter and exit methods. Read once
 * and shared: weaving copies its code and never changes it.
 */
public final class AdviceClass {

  private static final String ENTER = "Ldev/obsagent/core/api/Advice$OnMethodEnter;";
  private static final String EXIT = "Ldev/obsagent/core/api/Advice$OnMethodExit;";

  final String name;
  /** Null when the class has no enter advice. */
  final AdviceMethod enter;
  /** Null when the class has no exit advice. */
  final AdviceMethod exit;

  private AdviceClass(String name, AdviceMethod enter, AdviceMethod exit) {
    this.name = name;
    this.enter = enter;
    this.exit = exit;
  }

  public static AdviceClass read(byte[] classFile) throws WeavingException {
    ClassNode node = new ClassNode();
    // Expanded frames: the weaver rewrites them slot by slot.
    new ClassReader(classFile).accept(node, ClassReader.EXPAND_FRAMES);
    String name = Type.getObjectType(node.name).getClassName();
    AdviceMethod enter = null;
    AdviceMethod exit = null;
    for (MethodNode method : node.methods) {
      AnnotationNode onEnter = AdviceMethod.annotation(method.visibleAnnotations, method.invisibleAnnotations, ENTER);
      AnnotationNode onExit = AdviceMethod.annotation(method.visibleAnnotations, method.invisibleAnnotations, EXIT);
      if (onEnter != null) {
        if (enter != null) {
          throw new WeavingException(name + " has more than one enter advice");
        }
        enter = AdviceMethod.read(name, method, onEnter);
      }
      if (onExit != null) {
        if (exit != null) {
          throw new WeavingException(name + " has more than one exit advice");
        }
        exit = AdviceMethod.read(name, method, onExit);
      }
    }
    if (enter == null && exit == null) {
      throw new WeavingException(name + " has neither an enter nor an exit advice");
    }
    if (exit != null && exit.uses(AdviceMethod.Kind.ENTER) && (enter == null || enter.returnType.getSort() == Type.VOID)) {
      throw new WeavingException(name + ": the exit advice takes @Enter, but no enter advice returns a value");
    }
    if (exit != null && exit.uses(AdviceMethod.Kind.THROWN) && exit.onThrowable == null) {
      throw new WeavingException(name + ": the exit advice takes @Thrown without onThrowable");
    }
    if (enter != null && (enter.uses(AdviceMethod.Kind.ENTER) || enter.uses(AdviceMethod.Kind.RETURN) || enter.uses(AdviceMethod.Kind.THROWN))) {
      throw new WeavingException(name + ": the enter advice takes @Enter, @Return or @Thrown, which only exist on exit");
    }
    return new AdviceClass(name, enter, exit);
  }

  @Override
  public String toString() {
    return name;
  }
}
