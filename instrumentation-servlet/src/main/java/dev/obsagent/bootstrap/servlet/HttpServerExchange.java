package dev.obsagent.bootstrap.servlet;

/** One incoming request being measured, from the outermost filter or servlet call to its end. */
public abstract class HttpServerExchange {

  /**
   * The request thread returns while the request goes on asynchronously: the span stops being
   * current on this thread, the measurement continues until {@link #end}.
   */
  public abstract void leaveThread();

  /**
   * Ends the measurement (only the first call counts).
   *
   * @param status the response status as sent
   * @param error what the servlet threw, or null
   * @param contextPath the request's context path
   * @param servletPattern the matched servlet mapping ({@code /api/*}, {@code *.do}), or null
   * @param mappingMatch how it matched: {@code EXACT}, {@code PATH}, {@code EXTENSION},
   *     {@code DEFAULT}, {@code CONTEXT_ROOT}, or null
   * @param frameworkTemplate a framework's route template (Spring MVC), relative to the servlet
   */
  public abstract void end(
      int status, Throwable error, String contextPath, String servletPattern, String mappingMatch,
      String frameworkTemplate);
}
