package dev.obsagent.instrumentation.servlet.jakarta;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.bootstrap.servlet.HttpServerRecorder;
import dev.obsagent.bootstrap.servlet.ServletBridge;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads what the agent needs from jakarta.servlet requests and responses. Injected into the
 * class loader of each instrumented servlet or filter, since it needs the servlet API.
 */
public final class JakartaServletHelper {

  /** Where Spring MVC leaves the matched handler pattern. */
  static final String SPRING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private JakartaServletHelper() {}

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
        http.getAsyncContext().addListener(new JakartaAsyncListener(exchange, http, httpResponse));
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
    HttpServletMapping mapping = request.getHttpServletMapping();
    String pattern = mapping == null ? null : mapping.getPattern();
    String match = mapping == null || mapping.getMappingMatch() == null ? null : mapping.getMappingMatch().name();
    Object template = frameworkTemplate(request);
    exchange.end(
        status, thrown, request.getContextPath(), pattern, match, template == null ? null : template.toString());
  }

  /** The route template a framework matched, relative to the servlet path: JAX-RS (set by the agent), Spring MVC. */
  private static Object frameworkTemplate(HttpServletRequest request) {
    Object template = request.getAttribute(ServletBridge.ROUTE_ATTRIBUTE);
    return template != null ? template : request.getAttribute(SPRING_PATTERN);
  }
}
