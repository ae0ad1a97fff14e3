package dev.obsagent.core.weave;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Copies an advice class's code into one method of a class being woven. The method becomes:
 *
 * <pre>
 *   enter advice                      (its throwables counted and dropped when it suppresses them)
 *   the method's own code             (every return: keep the value, go to the exit)
 *   on a throwable: keep it, go to the exit
 *   exit:  exit advice                (sees the enter value, the return value, the throwable)
 *          rethrow the throwable, or return the (possibly replaced) value
 * </pre>
 *
 * The values the advice shares with the method (enter value, return value, throwable) live in new
 * local slots after the method's own, and the advice's own locals after those. No stack map frame
 * is computed from a class hierarchy: the method's own frames get the enter value added, and the
 * advice's frames are translated slot by slot, so weaving never loads or reads another class.
 */
final class AdviceInliner {

  private static final String ERRORS = "dev/obsagent/bootstrap/InstrumentationErrors";
  private static final String RECORD = "(Ljava/lang/Throwable;Ljava/lang/String;)V";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final Type OBJECT = Type.getObjectType("java/lang/Object");

  private final ClassNodeInfo owner;
  private final MethodNode method;
  private final AdviceClass advice;
  private final String instrumentation;

  private final boolean isStatic;
  private final Type[] arguments;
  private final int[] argumentSlots;
  private final Type returnType;

  private int enterSlot = -1;
  private int returnSlot = -1;
  private int thrownSlot = -1;
  /**
   * Per argument the exit advice reads, the slot of a copy taken before the method's own code
   * runs (or -1): the exit advice sees the arguments the method was called with, even where the
   * method assigns its parameters (H2's {@code prepareCall} rewrites its SQL argument).
   */
  private int[] argumentBackups;
  /** The first slot free for an advice's copies and own locals. */
  private int firstScratch;
  private int maxLocals;

  /** What the weaver needs of the class the method is in. */
  interface ClassNodeInfo {
    String internalName();

    /** Class files before Java 6 have no stack map frames, and must get none. */
    boolean usesFrames();

    /** The class file's major version ({@code Opcodes.V1_5} ...). */
    int majorVersion();

    /** A field the class declares itself, or null. */
    FieldNode field(String name);
  }

  AdviceInliner(ClassNodeInfo owner, MethodNode method, AdviceClass advice, String instrumentation) {
    this.owner = owner;
    this.method = method;
    this.advice = advice;
    this.instrumentation = instrumentation;
    this.isStatic = (method.access & ACC_STATIC) != 0;
    this.arguments = Type.getArgumentTypes(method.desc);
    this.returnType = Type.getReturnType(method.desc);
    this.argumentSlots = new int[arguments.length];
    int slot = isStatic ? 0 : 1;
    for (int i = 0; i < arguments.length; i++) {
      argumentSlots[i] = slot;
      slot += arguments[i].getSize();
    }
  }

  void inline() throws WeavingException {
    rejectSubroutines();
    allocateSharedSlots();
    InsnList body = method.instructions;
    List<TryCatchBlockNode> handlers = new ArrayList<>();
    InsnList code = new InsnList();

    boolean exitTakesEnter = advice.exit != null && advice.exit.uses(AdviceMethod.Kind.ENTER);
    if (exitTakesEnter) {
      addToFrames(body, enterSlot, FrameSlots.typeOf(advice.enter.returnType));
    }
    for (int i = 0; i < arguments.length; i++) {
      if (argumentBackups[i] >= 0) {
        addToFrames(body, argumentBackups[i], FrameSlots.typeOf(arguments[i]));
      }
    }
    if (advice.enter != null) {
      FrameSlots entry = entryFrame();
      FrameSlots afterEnter = entry.copy();
      if (enterSlot >= 0) {
        afterEnter.put(enterSlot, FrameSlots.typeOf(advice.enter.returnType));
      }
      inlineAdvice(advice.enter, true, entry, afterEnter, code, handlers);
      // The method's own code may start with a frame of its own: not at the same offset as ours.
      code.add(new InsnNode(NOP));
    }
    for (int i = 0; i < arguments.length; i++) {
      if (argumentBackups[i] >= 0) {
        code.add(new VarInsnNode(arguments[i].getOpcode(ILOAD), argumentSlots[i]));
        code.add(new VarInsnNode(arguments[i].getOpcode(ISTORE), argumentBackups[i]));
      }
    }
    handlers.addAll(method.tryCatchBlocks);

    if (advice.exit == null) {
      code.add(body);
    } else {
      FrameSlots exitBase = exitFrame(exitTakesEnter);
      FrameSlots exitFull = exitBase.copy();
      if (returnSlot >= 0) {
        exitFull.put(returnSlot, FrameSlots.typeOf(returnType));
      }
      if (thrownSlot >= 0) {
        exitFull.put(thrownSlot, THROWABLE);
      }
      LabelNode exit = new LabelNode();
      LabelNode bodyStart = new LabelNode();
      LabelNode bodyEnd = new LabelNode();
      replaceReturns(body, exit);
      code.add(bodyStart);
      code.add(body);
      code.add(bodyEnd);
      TryCatchBlockNode onThrowable = null;
      if (thrownSlot >= 0) {
        LabelNode caught = new LabelNode();
        code.add(caught);
        frame(code, exitBase, advice.exit.onThrowable);
        code.add(new VarInsnNode(ASTORE, thrownSlot));
        storeDefault(code, returnType, returnSlot);
        code.add(new JumpInsnNode(GOTO, exit));
        onThrowable = new TryCatchBlockNode(bodyStart, bodyEnd, caught, advice.exit.onThrowable);
      }
      code.add(exit);
      frame(code, exitFull);
      code.add(new InsnNode(NOP));
      inlineAdvice(advice.exit, false, exitFull, exitFull, code, handlers);
      if (thrownSlot >= 0) {
        LabelNode noThrowable = new LabelNode();
        code.add(new VarInsnNode(ALOAD, thrownSlot));
        code.add(new JumpInsnNode(IFNULL, noThrowable));
        code.add(new VarInsnNode(ALOAD, thrownSlot));
        code.add(new InsnNode(ATHROW));
        code.add(noThrowable);
        frame(code, exitFull);
      }
      if (returnSlot >= 0) {
        code.add(new VarInsnNode(returnType.getOpcode(ILOAD), returnSlot));
      }
      code.add(new InsnNode(returnType.getOpcode(IRETURN)));
      // Last in the table: the method's own handlers, listed before it, still catch first.
      if (onThrowable != null) {
        handlers.add(onThrowable);
      }
    }
    method.instructions = code;
    method.tryCatchBlocks = handlers;
    method.maxLocals = maxLocals;
  }

  private void rejectSubroutines() throws WeavingException {
    for (AbstractInsnNode insn : method.instructions) {
      if (insn.getOpcode() == JSR || insn.getOpcode() == RET) {
        throw new WeavingException(method.name + " uses jsr/ret subroutines");
      }
    }
  }

  private void allocateSharedSlots() {
    int next = method.maxLocals;
    if (advice.enter != null && advice.enter.returnType.getSort() != Type.VOID) {
      enterSlot = next;
      next += advice.enter.returnType.getSize();
    }
    if (advice.exit != null) {
      if (returnType.getSort() != Type.VOID) {
        returnSlot = next;
        next += returnType.getSize();
      }
      if (advice.exit.onThrowable != null) {
        thrownSlot = next;
        next += 1;
      }
    }
    argumentBackups = new int[arguments.length];
    Arrays.fill(argumentBackups, -1);
    if (advice.exit != null) {
      for (AdviceMethod.Parameter parameter : advice.exit.parameters) {
        int index = parameter.index;
        if (parameter.kind == AdviceMethod.Kind.ARGUMENT && index >= 0 && index < arguments.length && argumentBackups[index] < 0) {
          argumentBackups[index] = next;
          next += arguments[index].getSize();
        }
      }
    }
    firstScratch = next;
    maxLocals = next;
  }

  /** The locals at the method's start: this and the arguments. */
  private FrameSlots entryFrame() {
    FrameSlots frame = FrameSlots.empty();
    if (!isStatic) {
      frame.put(0, owner.internalName());
    }
    for (int i = 0; i < arguments.length; i++) {
      frame.put(argumentSlots[i], FrameSlots.typeOf(arguments[i]));
    }
    return frame;
  }

  /**
   * The locals known at the exit: this when the exit advice reads it, the copies of the arguments
   * it reads and the enter value; never the method's own other locals, where it may have stored
   * anything.
   */
  private FrameSlots exitFrame(boolean withEnter) {
    FrameSlots frame = FrameSlots.empty();
    AdviceMethod exit = advice.exit;
    if (!isStatic && (exit.uses(AdviceMethod.Kind.THIS) || exit.uses(AdviceMethod.Kind.FIELD))) {
      frame.put(0, owner.internalName());
    }
    for (int i = 0; i < arguments.length; i++) {
      if (argumentBackups[i] >= 0) {
        frame.put(argumentBackups[i], FrameSlots.typeOf(arguments[i]));
      }
    }
    if (withEnter) {
      frame.put(enterSlot, FrameSlots.typeOf(advice.enter.returnType));
    }
    return frame;
  }

  /** Every return of the method's own code keeps its value and goes to the exit advice instead. */
  private void replaceReturns(InsnList body, LabelNode exit) {
    for (AbstractInsnNode insn : body.toArray()) {
      int opcode = insn.getOpcode();
      if (opcode >= IRETURN && opcode <= RETURN) {
        InsnList replacement = new InsnList();
        if (returnSlot >= 0) {
          replacement.add(new VarInsnNode(returnType.getOpcode(ISTORE), returnSlot));
        }
        if (thrownSlot >= 0) {
          replacement.add(new InsnNode(ACONST_NULL));
          replacement.add(new VarInsnNode(ASTORE, thrownSlot));
        }
        replacement.add(new JumpInsnNode(GOTO, exit));
        body.insert(insn, replacement);
        body.remove(insn);
      }
    }
  }

  private static void addToFrames(InsnList body, int slot, Object type) {
    for (AbstractInsnNode insn : body) {
      if (insn instanceof FrameNode) {
        FrameNode frame = (FrameNode) insn;
        frame.local = FrameSlots.of(frame.local).put(slot, type).toLocals();
      }
    }
  }

  /**
   * Appends a copy of one advice method's code: its parameters bound to the method's values, its
   * locals moved after the method's, its returns turned into jumps to the code after it.
   *
   * @param context the locals known where the advice starts
   * @param after the locals known after it
   */
  private void inlineAdvice(
      AdviceMethod adviceMethod, boolean isEnter, FrameSlots context, FrameSlots after, InsnList code, List<TryCatchBlockNode> handlers)
      throws WeavingException {
    MethodNode source = adviceMethod.code;
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : source.instructions) {
      if (insn instanceof LabelNode) {
        labels.put((LabelNode) insn, new LabelNode());
      }
    }
    ParameterSlots parameters = bindParameters(adviceMethod, isEnter, context);
    int ownLocals = parameters.next;
    maxLocals = Math.max(maxLocals, ownLocals + Math.max(0, source.maxLocals - adviceMethod.firstLocal));

    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    LabelNode done = new LabelNode();
    code.add(start);
    code.add(parameters.prologue);
    for (AbstractInsnNode insn : source.instructions) {
      if (insn instanceof LineNumberNode) {
        continue; // the advice's line numbers mean nothing in the woven class
      }
      if (insn instanceof FrameNode) {
        if (owner.usesFrames()) {
          code.add(translate((FrameNode) insn, parameters.frame, adviceMethod.firstLocal, ownLocals, labels));
        }
        continue;
      }
      if (insn instanceof VarInsnNode) {
        VarInsnNode variable = (VarInsnNode) insn;
        code.add(new VarInsnNode(variable.getOpcode(), slotOf(variable.var, variable.getOpcode() >= ISTORE, parameters, adviceMethod, ownLocals)));
        continue;
      }
      if (insn instanceof IincInsnNode) {
        IincInsnNode increment = (IincInsnNode) insn;
        code.add(new IincInsnNode(slotOf(increment.var, true, parameters, adviceMethod, ownLocals), increment.incr));
        continue;
      }
      rejectNewerThanTheClassFile(insn, adviceMethod);
      int opcode = insn.getOpcode();
      if (opcode >= IRETURN && opcode <= RETURN) {
        if (opcode != RETURN) {
          if (isEnter && enterSlot >= 0) {
            code.add(new VarInsnNode(adviceMethod.returnType.getOpcode(ISTORE), enterSlot));
          } else {
            code.add(new InsnNode(adviceMethod.returnType.getSize() == 2 ? POP2 : POP));
          }
        }
        code.add(new JumpInsnNode(GOTO, done));
        continue;
      }
      code.add(insn.clone(labels));
    }
    code.add(end);
    for (TryCatchBlockNode handler : source.tryCatchBlocks) {
      handlers.add(new TryCatchBlockNode(labels.get(handler.start), labels.get(handler.end), labels.get(handler.handler), handler.type));
    }
    if (adviceMethod.suppress != null) {
      LabelNode suppressed = new LabelNode();
      code.add(suppressed);
      frame(code, context, adviceMethod.suppress);
      code.add(new LdcInsnNode(instrumentation));
      code.add(new MethodInsnNode(INVOKESTATIC, ERRORS, "record", RECORD, false));
      if (isEnter) {
        storeDefault(code, adviceMethod.returnType, enterSlot);
      }
      handlers.add(new TryCatchBlockNode(start, end, suppressed, adviceMethod.suppress));
    }
    code.add(done);
    frame(code, after);
  }

  /**
   * Advice is compiled for Java 11; copied into an older class file, an invokedynamic (string
   * concatenation, a lambda) or a method handle constant would make the class fail to load.
   */
  private void rejectNewerThanTheClassFile(AbstractInsnNode insn, AdviceMethod adviceMethod) throws WeavingException {
    boolean dynamic = insn instanceof InvokeDynamicInsnNode;
    if (insn instanceof LdcInsnNode) {
      Object constant = ((LdcInsnNode) insn).cst;
      dynamic = constant instanceof Handle
          || constant instanceof ConstantDynamic
          || (constant instanceof Type && ((Type) constant).getSort() == Type.METHOD);
      if (constant instanceof Type && owner.majorVersion() < V1_5) {
        throw new WeavingException(adviceMethod.adviceClass + " loads a class constant, which class files before Java 5 cannot hold");
      }
    }
    if (dynamic && owner.majorVersion() < V1_7) {
      throw new WeavingException(
          adviceMethod.adviceClass + " uses invokedynamic or a method handle constant, which class files before Java 7 cannot hold");
    }
  }

  /** Where each advice parameter's slot goes, and the code that fills the copies. */
  private static final class ParameterSlots {
    final int[] targets;
    final boolean[] writable;
    final InsnList prologue = new InsnList();
    /** The context with the copies in it. */
    final FrameSlots frame;
    int next;

    ParameterSlots(int size, FrameSlots context, int next) {
      targets = new int[size];
      Arrays.fill(targets, -1);
      writable = new boolean[size];
      frame = context.copy();
      this.next = next;
    }
  }

  /**
   * Binds each advice parameter to a slot of the method. A value of another type than the
   * parameter's (an {@code Object} enter value taken as its class, a field) is copied into a slot
   * of its own first, with a cast, so the verifier always sees the types the advice was compiled
   * with; a cast that fails is a throwable of the advice, suppressed like any other.
   */
  private ParameterSlots bindParameters(AdviceMethod adviceMethod, boolean isEnter, FrameSlots context)
      throws WeavingException {
    ParameterSlots slots = new ParameterSlots(adviceMethod.firstLocal, context, firstScratch);
    for (AdviceMethod.Parameter parameter : adviceMethod.parameters) {
      int source;
      Type valueType;
      FieldNode field = null;
      switch (parameter.kind) {
        case THIS:
          if (isStatic) {
            throw new WeavingException(adviceMethod.adviceClass + " takes @This, but " + method.name + " is static");
          }
          source = 0;
          valueType = Type.getObjectType(owner.internalName());
          break;
        case ARGUMENT:
          if (parameter.optional && !parameter.writable && parameter.index >= arguments.length) {
            // Absent: the advice sees its type's default value in a slot of its own.
            int absent = slots.next;
            slots.next += parameter.type.getSize();
            storeDefault(slots.prologue, parameter.type, absent);
            slots.frame.put(absent, FrameSlots.typeOf(parameter.type));
            slots.targets[parameter.slot] = absent;
            continue;
          }
          if (parameter.index < 0 || parameter.index >= arguments.length) {
            throw new WeavingException(adviceMethod.adviceClass + " takes argument " + parameter.index + ", which " + method.name + method.desc + " has not");
          }
          if (!isEnter && parameter.writable) {
            throw new WeavingException(adviceMethod.adviceClass + ": only the enter advice can replace an argument");
          }
          source = isEnter ? argumentSlots[parameter.index] : argumentBackups[parameter.index];
          valueType = arguments[parameter.index];
          break;
        case ENTER:
          source = enterSlot;
          valueType = advice.enter.returnType;
          break;
        case RETURN:
          if (returnSlot < 0) {
            throw new WeavingException(adviceMethod.adviceClass + " takes @Return, but " + method.name + " returns nothing");
          }
          source = returnSlot;
          valueType = returnType;
          break;
        case THROWN:
          source = thrownSlot;
          valueType = Type.getObjectType(THROWABLE);
          break;
        case FIELD:
          field = owner.field(parameter.field);
          if (field == null) {
            throw new WeavingException(owner.internalName() + " declares no field " + parameter.field);
          }
          if (isStatic && (field.access & ACC_STATIC) == 0) {
            throw new WeavingException(method.name + " is static; field " + parameter.field + " is not");
          }
          source = -1;
          valueType = Type.getType(field.desc);
          break;
        default:
          throw new IllegalStateException(parameter.kind.toString());
      }
      boolean sameType = parameter.type.equals(valueType);
      boolean reference = isReference(parameter.type) && isReference(valueType);
      if (parameter.writable) {
        if (!sameType || (parameter.kind != AdviceMethod.Kind.ARGUMENT && parameter.kind != AdviceMethod.Kind.RETURN)) {
          throw new WeavingException(adviceMethod.adviceClass + ": a writable parameter must be an @Argument or @Return of exactly the method's type");
        }
        slots.writable[parameter.slot] = true;
      }
      if (!sameType && !reference) {
        throw new WeavingException(
            adviceMethod.adviceClass + ": parameter of type " + parameter.type.getClassName() + " cannot take a " + valueType.getClassName());
      }
      if (source >= 0 && (sameType || parameter.type.equals(OBJECT))) {
        slots.targets[parameter.slot] = source;
        continue;
      }
      int copy = slots.next;
      slots.next += parameter.type.getSize();
      if (field != null) {
        boolean staticField = (field.access & ACC_STATIC) != 0;
        if (!staticField) {
          slots.prologue.add(new VarInsnNode(ALOAD, 0));
        }
        slots.prologue.add(new FieldInsnNode(staticField ? GETSTATIC : GETFIELD, owner.internalName(), field.name, field.desc));
      } else {
        slots.prologue.add(new VarInsnNode(valueType.getOpcode(ILOAD), source));
      }
      if (!sameType && !parameter.type.equals(OBJECT)) {
        slots.prologue.add(new TypeInsnNode(CHECKCAST, parameter.type.getInternalName()));
      }
      slots.prologue.add(new VarInsnNode(parameter.type.getOpcode(ISTORE), copy));
      slots.frame.put(copy, FrameSlots.typeOf(parameter.type));
      slots.targets[parameter.slot] = copy;
    }
    return slots;
  }

  private static boolean isReference(Type type) {
    return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
  }

  private int slotOf(int adviceSlot, boolean store, ParameterSlots parameters, AdviceMethod adviceMethod, int ownLocals)
      throws WeavingException {
    if (adviceSlot >= adviceMethod.firstLocal) {
      return ownLocals + adviceSlot - adviceMethod.firstLocal;
    }
    if (store && !parameters.writable[adviceSlot]) {
      throw new WeavingException(adviceMethod.adviceClass + " assigns a read-only parameter (slot " + adviceSlot + ")");
    }
    return parameters.targets[adviceSlot];
  }

  /** An advice frame, in the method's slots: the context, then the advice's own locals. */
  private static FrameNode translate(FrameNode frame, FrameSlots context, int firstLocal, int ownLocals, Map<LabelNode, LabelNode> labels) {
    FrameSlots locals = context.copy();
    int slot = 0;
    for (Object type : frame.local) {
      if (slot >= firstLocal) {
        locals.put(ownLocals + slot - firstLocal, mapped(type, labels));
      }
      slot += (type == (Object) LONG || type == (Object) DOUBLE) ? 2 : 1;
    }
    List<Object> stack = new ArrayList<>();
    for (Object type : frame.stack) {
      stack.add(mapped(type, labels));
    }
    List<Object> list = locals.toLocals();
    return new FrameNode(F_NEW, list.size(), list.toArray(), stack.size(), stack.toArray());
  }

  private static Object mapped(Object type, Map<LabelNode, LabelNode> labels) {
    return type instanceof LabelNode ? labels.get(type) : type;
  }

  private void frame(InsnList code, FrameSlots locals, String... stack) {
    if (owner.usesFrames()) {
      List<Object> list = locals.toLocals();
      code.add(new FrameNode(F_NEW, list.size(), list.toArray(), stack.length, stack));
    }
  }

  /** Stores the type's default value (0, null) in a slot; nothing for void. */
  private static void storeDefault(InsnList code, Type type, int slot) {
    if (slot < 0) {
      return;
    }
    switch (type.getSort()) {
      case Type.VOID:
        return;
      case Type.LONG:
        code.add(new InsnNode(LCONST_0));
        break;
      case Type.FLOAT:
        code.add(new InsnNode(FCONST_0));
        break;
      case Type.DOUBLE:
        code.add(new InsnNode(DCONST_0));
        break;
      case Type.OBJECT:
      case Type.ARRAY:
        code.add(new InsnNode(ACONST_NULL));
        break;
      default:
        code.add(new InsnNode(ICONST_0));
    }
    code.add(new VarInsnNode(type.getOpcode(ISTORE), slot));
  }
}
