package dev.obsagent.smoke;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Bounded load on one app: a few client threads send requests one after the other (a closed
 * loop) for a fixed time or count, or at a fixed pace, and check every answer's status and body
 * byte for byte. Every latency is kept, so percentiles are exact.
 */
final class Traffic {

  /** One request and the answer it must get: this body exactly, or starting with it. */
  record Call(String pathAndQuery, int status, String body, boolean bodyIsPrefix) {
    Call(String pathAndQuery, int status, String body) {
      this(pathAndQuery, status, body, false);
    }
  }

  /** What one run measured. */
  record Result(String name, long requests, long wrong, List<String> firstWrong, long[] sortedNanos, Duration elapsed) {

    double p50Millis() {
      return percentileMillis(0.50);
    }

    double p99Millis() {
      return percentileMillis(0.99);
    }

    double maxMillis() {
      return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    double perSecond() {
      return requests / (elapsed.toNanos() / 1e9);
    }

    private double percentileMillis(double quantile) {
      if (sortedNanos.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, index)] / 1e6;
    }

    /** One line for the test's output and the closing note. */
    String summary() {
      return String.format(Locale.ROOT, "%s: %d requests in %.1f s (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms, wrong answers %d",
          name, requests, elapsed.toNanos() / 1e9, perSecond(), p50Millis(), p99Millis(), maxMillis(), wrong);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Traffic(AppProcess app) {
    this.base = "http://127.0.0.1:" + app.appPort();
  }

  /** Closed loop: {@code threads} clients, each sending the calls in turn, for this long. */
  Result runFor(String name, Duration duration, int threads, List<Call> calls) {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong next = new AtomicLong();
    return run(name, threads, () -> System.nanoTime() < end ? calls.get((int) (next.getAndIncrement() % calls.size())) : null);
  }

  /** Closed loop: exactly {@code count} requests, the i-th (from 0) being {@code call.apply(i)}. */
  Result runCount(String name, long count, int threads, LongFunction<Call> call) {
    AtomicLong next = new AtomicLong();
    return run(name, threads, () -> {
      long i = next.getAndIncrement();
      return i < count ? call.apply(i) : null;
    });
  }

  /**
   * Open loop: one round of the calls every {@code period}, each round's calls one after the other
   * on one client, until {@code duration} has passed: a steady load whatever the latency.
   */
  Result runPaced(String name, Duration duration, Duration period, List<Call> calls) {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    AtomicLong round = new AtomicLong();
    AtomicLong index = new AtomicLong();
    return run(name, 1, () -> {
      long i = index.getAndIncrement();
      if (i % calls.size() == 0) {
        long due = start + round.getAndIncrement() * period.toNanos();
        if (due >= end) {
          return null;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          sleepNanos(wait);
        }
      }
      return calls.get((int) (i % calls.size()));
    });
  }

  private interface Source {
    Call next();
  }

  private Result run(String name, int threads, Source source) {
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    AtomicLong wrongCount = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread client = new Thread(() -> {
        long[] mine = new long[1024];
        int n = 0;
        for (Call call = source.next(); call != null; call = source.next()) {
          long began = System.nanoTime();
          String problem = send(call);
          long took = System.nanoTime() - began;
          if (n == mine.length) {
            mine = Arrays.copyOf(mine, n * 2);
          }
          mine[n++] = took;
          if (problem != null && wrongCount.incrementAndGet() <= 5) {
            wrong.add(call.pathAndQuery() + ": " + problem);
          }
        }
        latencies.add(Arrays.copyOf(mine, n));
      }, "traffic-" + name + "-" + t);
      client.start();
      clients.add(client);
    }
    for (Thread client : clients) {
      try {
        client.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    Result result = new Result(name, all.length, wrongCount.get(), List.copyOf(wrong), all, elapsed);
    System.out.println(result.summary());
    return result;
  }

  /** Sends one call; returns what was wrong with the answer, or null. */
  private String send(Call call) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + call.pathAndQuery())).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != call.status()) {
        return "status " + response.statusCode() + " (expected " + call.status() + "): " + response.body();
      }
      if (call.bodyIsPrefix() ? !response.body().startsWith(call.body()) : !response.body().equals(call.body())) {
        return "body " + response.body() + " (expected " + call.body() + ")";
      }
      return null;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
