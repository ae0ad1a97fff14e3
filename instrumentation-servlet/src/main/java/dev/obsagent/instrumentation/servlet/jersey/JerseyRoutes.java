package dev.obsagent.instrumentation.servlet.jersey;

import dev.obsagent.bootstrap.servlet.ServletBridge;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Turns the templates Jersey matched for a request ({@code @Path("owners")} on the class,
 * {@code @Path("{id}")} on the method) into one route template, {@code /owners/{id}}, and leaves
 * it on the request for the servlet instrumentation, which puts the context path and servlet
 * path in front. Injected into the class loader that has Jersey.
 *
 * <p>It references only {@code org.glassfish.jersey} types whose names and signatures Jersey 2
 * (javax) and Jersey 3 (jakarta) share, and the JDK.
 */
public final class JerseyRoutes {

  /** Distinct template lists come from the application's resource model: few, but bounded anyway. */
  private static final int MAX_CACHED = 1_000;

  /**
   * Routes by the matched template list, so a route is built once, not per request. Held by this
   * class, which lives in the application's class loader beside the templates it keys on.
   */
  private static final Map<List<UriTemplate>, String> ROUTES = new ConcurrentHashMap<>();

  private JerseyRoutes() {}

  public static void record(ContainerRequest request) {
    List<UriTemplate> templates = request.getUriInfo().getMatchedTemplates();
    if (templates.isEmpty()) {
      return;
    }
    String route = ROUTES.get(templates);
    if (route == null) {
      route = join(templates);
      if (ROUTES.size() < MAX_CACHED) {
        ROUTES.put(List.copyOf(templates), route);
      }
    }
    // On a servlet container Jersey keeps request properties as servlet request attributes.
    request.setProperty(ServletBridge.ROUTE_ATTRIBUTE, route);
  }

  /** Jersey lists the templates innermost first (method, locators, class): joined outermost first. */
  static String join(List<UriTemplate> templates) {
    StringBuilder route = new StringBuilder();
    for (ListIterator<UriTemplate> it = templates.listIterator(templates.size()); it.hasPrevious(); ) {
      appendSegments(route, it.previous().getTemplate());
    }
    return route.length() == 0 ? "/" : route.toString();
  }

  /**
   * Appends a template's segments, each after one {@code /}, and a variable without its regular
   * expression: {@code {id: [0-9]+}} becomes {@code {id}}, which reads well on a dashboard and
   * needs no escaping in a PromQL matcher.
   */
  private static void appendSegments(StringBuilder route, String template) {
    int i = 0;
    int length = template.length();
    while (i < length) {
      char c = template.charAt(i);
      if (c == '/') {
        i++;
        continue;
      }
      route.append('/');
      while (i < length && template.charAt(i) != '/') {
        c = template.charAt(i);
        if (c == '{') {
          i = appendVariable(route, template, i);
        } else {
          route.append(c);
          i++;
        }
      }
    }
  }

  /** Appends {@code {name}} for the variable opening at {@code open}; returns the index after it. */
  private static int appendVariable(StringBuilder route, String template, int open) {
    int depth = 0;
    boolean inName = true;
    int i = open;
    while (i < template.length()) {
      char c = template.charAt(i++);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        break;
      } else if (c == ':' && depth == 1) {
        inName = false;
      }
      if (inName && !Character.isWhitespace(c)) {
        route.append(c);
      }
    }
    route.append('}');
    return i;
  }
}
