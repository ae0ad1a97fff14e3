package dev.obsagent.instrumentation.llm;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A rough deep size of what an object keeps reachable (test only): 16 bytes per object header, 8
 * per field or reference, array contents by length. Objects of the excluded types (shared
 * singletons such as the call's telemetry) are not followed; JDK internals whose fields cannot be
 * opened count their shallow size only.
 */
final class RetainedSize {

  private RetainedSize() {}

  static long of(Object root, Class<?>... excluded) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(root);
    long total = 0;
    while (!pending.isEmpty()) {
      Object object = pending.pop();
      if (!seen.add(object) || isExcluded(object, excluded)) {
        continue;
      }
      Class<?> type = object.getClass();
      if (type.isArray()) {
        int length = Array.getLength(object);
        Class<?> component = type.getComponentType();
        total += 16 + (long) length * (component.isPrimitive() ? primitiveSize(component) : 8);
        if (!component.isPrimitive()) {
          for (int i = 0; i < length; i++) {
            Object element = Array.get(object, i);
            if (element != null) {
              pending.push(element);
            }
          }
        }
        continue;
      }
      total += 16;
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers())) {
            continue;
          }
          total += 8;
          if (field.getType().isPrimitive()) {
            continue;
          }
          try {
            field.setAccessible(true);
            Object value = field.get(object);
            if (value != null) {
              pending.push(value);
            }
          } catch (RuntimeException | IllegalAccessException notOpen) {
            // a JDK internal: shallow size only
          }
        }
      }
    }
    return total;
  }

  private static boolean isExcluded(Object object, Class<?>[] excluded) {
    if (object instanceof Class || object instanceof ClassLoader || object instanceof Thread) {
      return true;
    }
    for (Class<?> type : excluded) {
      if (type.isInstance(object)) {
        return true;
      }
    }
    return false;
  }

  private static int primitiveSize(Class<?> type) {
    if (type == long.class || type == double.class) {
      return 8;
    }
    if (type == int.class || type == float.class) {
      return 4;
    }
    if (type == short.class || type == char.class) {
      return 2;
    }
    return 1;
  }
}
