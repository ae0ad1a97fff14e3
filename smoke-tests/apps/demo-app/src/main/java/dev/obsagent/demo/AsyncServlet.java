package dev.obsagent.demo;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers about 50 ms later from another thread, after the request thread has returned: a
 * request is only over when its async processing completes, and that is what must be measured.
 */
final class AsyncServlet extends HttpServlet {

  static final long DELAY_MILLIS = 50;

  private static final ScheduledExecutorService LATER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "demo-async");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) {
    AsyncContext async = request.startAsync();
    LATER.schedule(
        () -> {
          try {
            Endpoint.text((HttpServletResponse) async.getResponse(), "done after " + DELAY_MILLIS + " ms\n");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            async.complete();
          }
        },
        DELAY_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
