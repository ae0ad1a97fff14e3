package dev.obsagent.core.install;

import java.util.function.Supplier;
import net.bytebuddy.utility.dispatcher.JavaDispatcher;

/**
 * Byte Buddy reads a few switches from system properties, each once, in a static initializer.
 * The agent sets the ones it wants only for that moment and then puts back what was there. In the
 * agent jar Byte Buddy is relocated, and the property names with it
 * ({@code dev.obsagent.shaded.bytebuddy.*}): an application's own Byte Buddy never sees them.
 */
final class ByteBuddySwitches {

  private ByteBuddySwitches() {}

  /**
   * Byte Buddy reaches JDK methods that may be missing on the running JVM (module and nest-mate
   * methods of {@code Class}, say) through dispatchers, by default {@code java.lang.reflect.Proxy}
   * instances. Set to generate them as plain classes instead, it skips the JDK's proxy machinery:
   * about 40 ms less of premain on the demo, where the first dispatchers are made, and no boxing
   * on each call after. Called before anything of Byte Buddy runs.
   */
  static void generateJavaDispatchers() {
    withProperty(
        JavaDispatcher.GENERATE_PROPERTY,
        () -> {
          try {
            return Class.forName(JavaDispatcher.class.getName(), true, JavaDispatcher.class.getClassLoader());
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Runs the action with the property set to {@code true}, then restores what was there. */
  static <T> T withProperty(String key, Supplier<T> action) {
    String previous = System.getProperty(key);
    System.setProperty(key, "true");
    try {
      return action.get();
    } finally {
      if (previous == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, previous);
      }
    }
  }
}
