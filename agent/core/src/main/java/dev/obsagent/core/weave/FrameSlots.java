package dev.obsagent.core.weave;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The locals of a stack map frame by slot. ASM's expanded frames list a {@code long} or {@code
 * double} once although it takes two slots; the weaver places values by slot, so it converts to an
 * array with one entry per slot (the second half of a wide value is {@link Opcodes#TOP}) and back.
 */
final class FrameSlots {

  private Object[] slots;

  private FrameSlots(Object[] slots) {
    this.slots = slots;
  }

  static FrameSlots empty() {
    return new FrameSlots(new Object[0]);
  }

  /** @param locals an expanded frame's locals, as ASM lists them */
  static FrameSlots of(List<Object> locals) {
    FrameSlots frame = empty();
    int slot = 0;
    for (Object type : locals) {
      frame.put(slot, type);
      slot += isWide(type) ? 2 : 1;
    }
    return frame;
  }

  FrameSlots copy() {
    return new FrameSlots(slots.clone());
  }

  /** The type in a slot: TOP when nothing (usable) is there. */
  Object get(int slot) {
    return slot < slots.length && slots[slot] != null ? slots[slot] : Opcodes.TOP;
  }

  /** Puts a type in a slot; a wide value it overlaps, before or after, is gone. */
  FrameSlots put(int slot, Object type) {
    ensure(slot + 2);
    if (slot > 0 && isWide(slots[slot - 1])) {
      slots[slot - 1] = Opcodes.TOP;
    }
    if (isWide(slots[slot])) {
      slots[slot + 1] = Opcodes.TOP;
    }
    slots[slot] = type;
    if (isWide(type)) {
      slots[slot + 1] = Opcodes.TOP;
    }
    return this;
  }

  /** Back to ASM's list form, without trailing TOPs. */
  List<Object> toLocals() {
    int end = slots.length;
    while (end > 0 && (slots[end - 1] == null || slots[end - 1] == Opcodes.TOP)) {
      end--;
    }
    List<Object> locals = new ArrayList<>();
    for (int slot = 0; slot < end; ) {
      Object type = get(slot);
      locals.add(type);
      slot += isWide(type) ? 2 : 1;
    }
    return locals;
  }

  /** The frame type of a value of a Java type: {@link Opcodes#INTEGER}, an internal name, ... */
  static Object typeOf(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      default:
        return type.getInternalName();
    }
  }

  private static boolean isWide(Object type) {
    return type == Opcodes.LONG || type == Opcodes.DOUBLE;
  }

  private void ensure(int size) {
    if (slots.length < size) {
      int old = slots.length;
      slots = Arrays.copyOf(slots, Math.max(size, old * 2));
      Arrays.fill(slots, old, slots.length, Opcodes.TOP);
    }
  }
}
