package dev.obsagent.core;

/** Derives a default {@code service.name} from how the JVM was launched. */
final class ServiceNames {

  static final String UNKNOWN = "unknown_service:java";

  private ServiceNames() {}

  /**
   * {@code sun.java.command} is the main class or jar and its arguments: {@code -jar
   * /srv/checkout-2.1.0.jar} gives {@code checkout}, {@code com.example.BillingApp} gives
   * {@code BillingApp}.
   */
  static String fromCommand(String command) {
    if (command == null || command.trim().isEmpty()) {
      return UNKNOWN;
    }
    String first = command.trim().split("\\s+", 2)[0];
    if (first.endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      return withoutVersion(file.substring(0, file.length() - ".jar".length()));
    }
    int lastDot = first.lastIndexOf('.');
    String simple = lastDot >= 0 ? first.substring(lastDot + 1) : first;
    return simple.isEmpty() ? UNKNOWN : simple;
  }

  /** {@code checkout-2.1.0} or {@code checkout-2.1.0-SNAPSHOT} becomes {@code checkout}. */
  private static String withoutVersion(String name) {
    for (int i = 0; i < name.length() - 1; i++) {
      if (name.charAt(i) == '-' && Character.isDigit(name.charAt(i + 1)) && i > 0) {
        return name.substring(0, i);
      }
    }
    return name.isEmpty() ? UNKNOWN : name;
  }
}
