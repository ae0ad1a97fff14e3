package dev.obsagent.instrumentation.servlet;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code obs.servlet.exclude-paths}: exact paths; {@code /prefix/*} matches the prefix and
 * everything below it; {@code *} elsewhere matches any run of characters. Matched without regular
 * expressions, against the request path as the client sent it (context path included).
 */
final class ExcludedPaths {

  private final List<String[]> globs = new ArrayList<>();

  ExcludedPaths(List<String> patterns) {
    for (String pattern : patterns) {
      globs.add(pattern.split("\\*", -1));
    }
  }

  static ExcludedPaths fromConfig(AgentConfig config) {
    List<String> valid = new ArrayList<>();
    for (String entry : config.getList(ConfigKeys.SERVLET_EXCLUDE_PATHS)) {
      if (entry.startsWith("/")) {
        valid.add(entry);
      } else {
        config.warnBadEntry(ConfigKeys.SERVLET_EXCLUDE_PATHS, entry, "an entry must start with /");
      }
    }
    return new ExcludedPaths(valid);
  }

  boolean isEmpty() {
    return globs.isEmpty();
  }

  boolean matches(String path) {
    if (path == null) {
      return false;
    }
    for (String[] parts : globs) {
      if (matchesGlob(parts, path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesGlob(String[] parts, String path) {
    if (parts.length == 1) {
      return parts[0].equals(path);
    }
    // "/prefix/*" also matches "/prefix" itself.
    if (parts.length == 2 && parts[1].isEmpty() && parts[0].endsWith("/")
        && path.equals(parts[0].substring(0, parts[0].length() - 1))) {
      return true;
    }
    if (!path.startsWith(parts[0])) {
      return false;
    }
    int position = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = path.indexOf(parts[i], position);
      if (found < 0) {
        return false;
      }
      position = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return path.length() - position >= last.length() && path.endsWith(last);
  }
}
