package dev.obsagent.core.api;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Low-cardinality label values for HTTP servers and clients, built once: methods and status
 * codes, so a label seen before costs no string building.
 */
public final class HttpLabels {

  public static final String OTHER_METHOD = "_OTHER";
  private static final Set<String> KNOWN_METHODS =
      new HashSet<>(Arrays.asList("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"));
  private static final String[] STATUS_TEXT = new String[600];

  static {
    for (int i = 0; i < STATUS_TEXT.length; i++) {
      STATUS_TEXT[i] = Integer.toString(i);
    }
  }

  private HttpLabels() {}

  /** The method as sent when it is a standard one, else {@code _OTHER} (semantic conventions). */
  public static String method(String method) {
    return method != null && KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
  }

  public static String status(int status) {
    return status >= 0 && status < STATUS_TEXT.length ? STATUS_TEXT[status] : Integer.toString(status);
  }
}
