package dev.obsagent.core.weave;

import dev.obsagent.core.api.MethodMatcher;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Weaves advice into the methods of one class file. Only method bodies change: no member is added
 * or removed, so a class already loaded can be woven again by retransformation.
 */
public final class ClassWeaver {

  /** One advice class and the methods it goes into. */
  public static final class Binding {
    final MethodMatcher methods;
    final AdviceClass advice;
    /** The instrumentation name under which the advice's suppressed throwables are counted. */
    final String instrumentation;

    public Binding(MethodMatcher methods, AdviceClass advice, String instrumentation) {
      this.methods = methods;
      this.advice = advice;
      this.instrumentation = instrumentation;
    }
  }

  private ClassWeaver() {}

  /**
   * @return the woven class file, or null when no method matched
   * @throws WeavingException when a matched method cannot take its advice (nothing is woven then)
   */
  public static byte[] weave(byte[] classFile, List<Binding> bindings) throws WeavingException {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, ClassReader.EXPAND_FRAMES);
    boolean usesFrames = (type.version & 0xFFFF) >= Opcodes.V1_6;
    AdviceInliner.ClassNodeInfo info =
        new AdviceInliner.ClassNodeInfo() {
          @Override
          public String internalName() {
            return type.name;
          }

          @Override
          public boolean usesFrames() {
            return usesFrames;
          }

          @Override
          public int majorVersion() {
            return type.version & 0xFFFF;
          }

          @Override
          public FieldNode field(String name) {
            for (FieldNode field : type.fields) {
              if (field.name.equals(name)) {
                return field;
              }
            }
            return null;
          }
        };
    int woven = 0;
    for (Binding binding : bindings) {
      for (MethodNode method : new ArrayList<>(type.methods)) {
        if (hasCode(method) && binding.methods.matches(method.access, method.name, method.desc)) {
          new AdviceInliner(info, method, binding.advice, binding.instrumentation).inline();
          woven++;
        }
      }
    }
    if (woven == 0) {
      return null;
    }
    // Frames come from the inliner; only the maximum stack depth is left to compute, which needs
    // no class hierarchy.
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    type.accept(writer);
    return writer.toByteArray();
  }

  private static boolean hasCode(MethodNode method) {
    return (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && !method.name.equals("<init>")
        && !method.name.equals("<clinit>");
  }
}
