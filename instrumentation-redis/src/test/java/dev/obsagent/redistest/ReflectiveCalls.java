package dev.obsagent.redistest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls a client method by name, for the few whose signature changed between lines: a call
 * compiled against one line would not link on another ({@code hset} and {@code del} return
 * {@code Long} in 3.x and {@code long} from 4.0; {@code UnifiedJedis.pipelined()} returns
 * {@code Pipeline} in 4.x and {@code AbstractPipeline} later). The client's own exception is
 * rethrown as it is.
 */
final class ReflectiveCalls {

  private ReflectiveCalls() {}

  static Object call(Object target, String name, Object... arguments) {
    Method method = find(target.getClass(), name, arguments);
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method find(Class<?> type, String name, Object[] arguments) {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length
          && accepts(method, arguments)) {
        // Some are declared on a package-private base class of the public client class.
        method.setAccessible(true);
        return method;
      }
    }
    throw new IllegalArgumentException("no public " + name + " taking " + arguments.length + " arguments on " + type);
  }

  private static boolean accepts(Method method, Object[] arguments) {
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (!types[i].isInstance(arguments[i])) {
        return false;
      }
    }
    return true;
  }
}
