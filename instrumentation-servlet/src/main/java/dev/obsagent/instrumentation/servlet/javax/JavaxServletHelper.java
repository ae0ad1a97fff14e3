package dev.obsagent.instrumentation.servlet.javax;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.bootstrap.servlet.HttpServerRecorder;
import dev.obsagent.bootstrap.servlet.ServletBridge;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Reads what the agent needs from javax.servlet (3.0 and later) requests and responses. Injected into the
 * class loader of each instrumented servlet or filter, since it needs the servlet API.
 */
public final class JavaxServletHelper {

  /** Where Spring MVC leaves the matched handler pattern. */
  static final String SPRING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** Cleared on the first Servlet 3.x container seen: it has no getHttpServletMapping(). */
  private static volatile boolean servlet4 = true;

  private JavaxServletHelper() {}

  /** Starts a measurement unless this request is already measured, excluded, or not HTTP. */
  public static HttpServerExchange start(ServletRequest request, ServletResponse response) {
    if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      return null;
    }
    if (request.getAttribute(ServletBridge.REQUEST_ATTRIBUTE) != null) {
      return null;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServerRecorder recorder = ServletBridge.recorder();
    String[] headerNames = recorder.propagationHeaders();
    String[] headerValues = null; // most requests carry no trace context: no array for them
    for (int i = 0; i < headerNames.length; i++) {
      String value = http.getHeader(headerNames[i]);
      if (value != null) {
        if (headerValues == null) {
          headerValues = new String[headerNames.length];
        }
        headerValues[i] = value;
      }
    }
    HttpServerExchange exchange =
        recorder.start(
            http.getMethod(), http.getScheme(), http.getServerName(), http.getServerPort(),
            http.getRequestURI(), http.getHeader("User-Agent"), headerValues);
    request.setAttribute(ServletBridge.REQUEST_ATTRIBUTE, exchange == null ? ServletBridge.EXCLUDED : exchange);
    return exchange;
  }

  /** Ends the measurement now, or when an async request completes. */
  public static void end(
      HttpServerExchange exchange, ServletRequest request, ServletResponse response, Throwable thrown) {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    if (thrown == null && http.isAsyncStarted()) {
      boolean listening;
      try {
        http.getAsyncContext().addListener(new JavaxAsyncListener(exchange, http, httpResponse));
        listening = true;
      } catch (IllegalStateException completedMeanwhile) {
        listening = false; // the async request already completed: end it here
      }
      if (listening) {
        // Outside the try: an IllegalStateException of the agent's own is no completed request.
        exchange.leaveThread();
        return;
      }
    }
    finish(exchange, http, httpResponse, thrown);
  }

  static void finish(
      HttpServerExchange exchange, HttpServletRequest request, HttpServletResponse response, Throwable thrown) {
    // An exception that escapes to the container becomes a 500 unless the response is already out.
    int status = thrown != null && !response.isCommitted() ? 500 : response.getStatus();
    String pattern;
    String match;
    if (servlet4) {
      try {
        HttpServletMapping mapping = request.getHttpServletMapping();
        pattern = mapping == null ? null : mapping.getPattern();
        match = mapping == null || mapping.getMappingMatch() == null ? null : mapping.getMappingMatch().name();
      } catch (LinkageError servlet3Container) {
        servlet4 = false;
        pattern = servlet3Pattern(request);
        match = servlet3Match(request);
      }
    } else {
      pattern = servlet3Pattern(request);
      match = servlet3Match(request);
    }
    Object template = frameworkTemplate(request);
    exchange.end(
        status, thrown, request.getContextPath(), pattern, match, template == null ? null : template.toString());
  }

  /**
   * Servlet 3.x has no HttpServletMapping, so the mapping is inferred: a path info means a
   * {@code /prefix/*} mapping, a last segment with a dot an extension mapping, else an exact one.
   */
  private static String servlet3Pattern(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    if (request.getPathInfo() != null) {
      return servletPath + "/*";
    }
    if (servletPath == null || servletPath.isEmpty()) {
      return null;
    }
    int dot = servletPath.lastIndexOf('.');
    return dot > servletPath.lastIndexOf('/') ? "*" + servletPath.substring(dot) : servletPath;
  }

  private static String servlet3Match(HttpServletRequest request) {
    if (request.getPathInfo() != null) {
      return "PATH";
    }
    String pattern = servlet3Pattern(request);
    return pattern != null && pattern.startsWith("*.") ? "EXTENSION" : "EXACT";
  }

  /** The route template a framework matched, relative to the servlet path: JAX-RS (set by the agent), Spring MVC. */
  private static Object frameworkTemplate(HttpServletRequest request) {
    Object template = request.getAttribute(ServletBridge.ROUTE_ATTRIBUTE);
    return template != null ? template : request.getAttribute(SPRING_PATTERN);
  }
}
