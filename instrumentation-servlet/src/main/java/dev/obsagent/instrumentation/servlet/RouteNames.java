package dev.obsagent.instrumentation.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what a request knows about its mapping into the {@code http_route} label: a framework's
 * template when there is one, else the servlet mapping, prefixed with the context path; never the
 * raw path. Routes are built once per distinct input and cached (bounded).
 */
final class RouteNames {

  static final String UNKNOWN = "_other";
  private static final int MAX_CACHED = 10_000;

  private final Map<String, Map<String, Mapping>> cache = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> spanNames = new ConcurrentHashMap<>();

  /** The routes of one context path and servlet pattern, by framework template or by match kind. */
  private static final class Mapping {
    final Map<String, String> byTemplate = new ConcurrentHashMap<>();
    final Map<String, String> byMatch = new ConcurrentHashMap<>();
  }

  String route(String contextPath, String servletPattern, String mappingMatch, String frameworkTemplate) {
    String context = contextPath == null ? "" : contextPath;
    String pattern = servletPattern == null ? "" : servletPattern;
    Mapping mapping =
        cache.computeIfAbsent(context, ignored -> new ConcurrentHashMap<>())
            .computeIfAbsent(pattern, ignored -> new Mapping());
    // Two maps rather than one key built from both: no string is made per request.
    Map<String, String> routes = frameworkTemplate != null ? mapping.byTemplate : mapping.byMatch;
    String key = frameworkTemplate != null ? frameworkTemplate : mappingMatch == null ? "" : mappingMatch;
    String route = routes.get(key);
    if (route == null) {
      route = compute(context, servletPattern, mappingMatch, frameworkTemplate);
      if (routes.size() < MAX_CACHED) {
        routes.put(key, route);
      }
    }
    return route;
  }

  /** {@code GET /owners/{ownerId}}: made once per method and route, not per request. */
  String spanName(String method, String route) {
    Map<String, String> byMethod = spanNames.get(route);
    if (byMethod == null) {
      if (spanNames.size() >= MAX_CACHED) {
        return method + " " + route;
      }
      byMethod = spanNames.computeIfAbsent(route, ignored -> new ConcurrentHashMap<>());
    }
    String name = byMethod.get(method);
    if (name == null) {
      name = method + " " + route;
      byMethod.put(method, name); // methods are the few standard ones or _OTHER
    }
    return name;
  }

  static String compute(String contextPath, String servletPattern, String mappingMatch, String frameworkTemplate) {
    if (frameworkTemplate != null && !frameworkTemplate.isEmpty()) {
      return join(contextPath + servletPrefix(servletPattern, mappingMatch), frameworkTemplate);
    }
    if (mappingMatch == null) {
      return UNKNOWN;
    }
    switch (mappingMatch) {
      case "EXACT":
      case "PATH":
        return servletPattern == null || servletPattern.isEmpty() ? UNKNOWN : join(contextPath, servletPattern);
      case "EXTENSION":
        return join(contextPath, "/" + servletPattern);
      case "DEFAULT":
        return join(contextPath, "/*");
      case "CONTEXT_ROOT":
        return join(contextPath, "/");
      default:
        return UNKNOWN;
    }
  }

  /** A framework template is relative to a {@code /prefix/*} servlet mapping. */
  private static String servletPrefix(String servletPattern, String mappingMatch) {
    if ("PATH".equals(mappingMatch) && servletPattern != null && servletPattern.endsWith("/*")) {
      return servletPattern.substring(0, servletPattern.length() - 2);
    }
    return "";
  }

  private static String join(String prefix, String path) {
    if (prefix.endsWith("/") && path.startsWith("/")) {
      return prefix + path.substring(1);
    }
    String joined = prefix.isEmpty() || path.startsWith("/") ? prefix + path : prefix + "/" + path;
    return joined.isEmpty() ? "/" : joined;
  }
}
