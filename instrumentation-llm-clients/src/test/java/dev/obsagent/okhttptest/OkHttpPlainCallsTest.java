package dev.obsagent.okhttptest;

import static dev.obsagent.okhttptest.Observed.traceparentOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP calls through the real OkHttp (the one of this surefire execution) against a loopback
 * server: one measurement and one CLIENT span per application call, whatever the client does
 * inside it, and the {@code traceparent} of that span on every request the server gets.
 */
class OkHttpPlainCallsTest {

  private static Observed observed;
  private static PlainServer server;
  private static OkHttpClient client;

  private double errorsBefore;

  @BeforeAll
  static void start() throws IOException {
    observed = Observed.install();
    server = new PlainServer();
    client = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @BeforeEach
  void reset() {
    observed.agent.clearSpans();
    server.received.clear();
    errorsBefore = observed.instrumentationErrors();
  }

  @AfterEach
  void agentRaisedNothing() {
    assertEquals(errorsBefore, observed.instrumentationErrors(), "throwables suppressed inside the agent");
  }

  private double ok(String method) {
    return observed.httpCount(method, "127.0.0.1", "200", "");
  }

  @Test
  void aSynchronousCallIsOneMeasurementWithItsSpanAndTraceparent() throws IOException {
    double before = ok("GET");
    Request request = new Request.Builder().url(server.url("/hello?api_key=secret")).header("X-App", "kept").build();
    Call call = client.newCall(request);
    try (Response response = call.execute()) {
      assertEquals(200, response.code());
      assertEquals("hello", response.body().string());
      assertFalse(response.body().getClass().getName().startsWith("dev.obsagent"), "a plain call's body is not wrapped");
      assertSame(request, call.request(), "the application's request object is the one it made");
      assertNull(call.request().header("traceparent"), "and it is not changed");
      assertNull(response.request().header("X-Unused"));
    }

    assertEquals(before + 1, ok("GET"));
    SpanData span = observed.httpSpan();
    assertEquals("GET", span.getName());
    assertEquals("GET", span.getAttributes().get(Observed.METHOD));
    assertEquals(server.url("/hello"), span.getAttributes().get(Observed.URL_FULL), "no query string");
    assertEquals("127.0.0.1", span.getAttributes().get(Observed.SERVER_ADDRESS));
    assertEquals((long) server.port(), span.getAttributes().get(Observed.SERVER_PORT));
    assertEquals(200L, span.getAttributes().get(Observed.STATUS));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertFalse(span.getParentSpanContext().isValid(), "no parent: a root span");

    assertEquals(1, server.received.size());
    assertEquals(traceparentOf(span), server.received.get(0).header("traceparent"));
    assertEquals("kept", server.received.get(0).header("x-app"), "the application's headers are sent as they were");
  }

  @Test
  void aRedirectIsInsideTheOneCall() throws IOException {
    double before = ok("GET");
    double redirects = observed.httpCount("GET", "127.0.0.1", "302", "");
    try (Response response = client.newCall(new Request.Builder().url(server.url("/redirect")).build()).execute()) {
      assertEquals("hello", response.body().string());
      assertEquals(server.url("/hello"), response.request().url().toString());
    }
    assertEquals(before + 1, ok("GET"));
    assertEquals(redirects, observed.httpCount("GET", "127.0.0.1", "302", ""), "the 302 is not a call of its own");
    SpanData span = observed.httpSpan();
    assertEquals(server.url("/redirect"), span.getAttributes().get(Observed.URL_FULL), "the URL the application asked for");
    assertEquals(List.of("/redirect", "/hello"), server.received.stream().map(g -> g.path).collect(java.util.stream.Collectors.toList()));
    for (PlainServer.Got got : server.received) {
      assertEquals(traceparentOf(span), got.header("traceparent"), got.path);
    }
  }

  @Test
  void clientAndServerErrorsAreFailedCalls() throws IOException {
    double notFound = observed.httpCount("GET", "127.0.0.1", "404", "404");
    double unavailable = observed.httpCount("POST", "127.0.0.1", "503", "503");
    try (Response response = client.newCall(new Request.Builder().url(server.url("/status/404")).build()).execute()) {
      assertEquals(404, response.code());
      assertEquals("status 404", response.body().string());
    }
    okhttp3.RequestBody form = okhttp3.RequestBody.create("a=1", okhttp3.MediaType.get("application/x-www-form-urlencoded"));
    try (Response response = client.newCall(new Request.Builder().url(server.url("/status/503")).post(form).build()).execute()) {
      assertEquals(503, response.code());
    }
    assertEquals(notFound + 1, observed.httpCount("GET", "127.0.0.1", "404", "404"));
    assertEquals(unavailable + 1, observed.httpCount("POST", "127.0.0.1", "503", "503"));
    List<SpanData> spans = observed.awaitClientSpans(2);
    assertEquals(List.of("GET", "POST"), spans.stream().map(SpanData::getName).collect(java.util.stream.Collectors.toList()));
    for (SpanData span : spans) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    }
    assertEquals("404", spans.get(0).getAttributes().get(Observed.ERROR_TYPE));
    assertEquals(404L, spans.get(0).getAttributes().get(Observed.STATUS));
    assertEquals("503", spans.get(1).getAttributes().get(Observed.ERROR_TYPE));
  }

  @Test
  void aRefusedConnectionFailsTheCallWithTheApplicationsOwnException() throws IOException {
    int port = PlainServer.closedPort();
    double before = observed.httpCount("GET", "127.0.0.1", "", ConnectException.class.getName());
    OkHttpClient noRetry = client.newBuilder().retryOnConnectionFailure(false).build();
    ConnectException thrown = assertThrows(ConnectException.class,
        () -> noRetry.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/x").build()).execute());
    assertTrue(thrown.getMessage().contains(String.valueOf(port)), thrown.getMessage());
    assertEquals(before + 1, observed.httpCount("GET", "127.0.0.1", "", ConnectException.class.getName()));
    SpanData span = observed.httpSpan();
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(ConnectException.class.getName(), span.getAttributes().get(Observed.ERROR_TYPE));
    assertNull(span.getAttributes().get(Observed.STATUS));
  }

  @Test
  void anAsynchronousCallIsAChildOfTheCallersContextAndEndsAtItsCallback() throws Exception {
    double before = ok("GET");
    SpanContext parent = SpanContext.create(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    CompletableFuture<String> body = new CompletableFuture<>();
    try (Scope ignored = Context.root().with(Span.wrap(parent)).makeCurrent()) {
      client.newCall(new Request.Builder().url(server.url("/hello")).build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          body.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (Response r = response) {
            body.complete(r.body().string());
          }
        }
      });
    }
    assertEquals("hello", body.get(10, TimeUnit.SECONDS));
    SpanData span = observed.awaitClientSpans(1).get(0);
    assertEquals(parent.getTraceId(), span.getTraceId());
    assertEquals(parent.getSpanId(), span.getParentSpanId());
    assertEquals(200L, span.getAttributes().get(Observed.STATUS));
    assertEquals(before + 1, ok("GET"));
    assertEquals(traceparentOf(span), server.received.get(0).header("traceparent"));
  }

  @Test
  void anAsynchronousFailureReachesTheCallbackAndFailsTheCall() throws Exception {
    int port = PlainServer.closedPort();
    double before = observed.httpCount("GET", "127.0.0.1", "", ConnectException.class.getName());
    CompletableFuture<IOException> failure = new CompletableFuture<>();
    client.newBuilder().retryOnConnectionFailure(false).build()
        .newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/x").build()).enqueue(new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            failure.complete(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            response.close();
            failure.completeExceptionally(new AssertionError("a response from a closed port"));
          }
        });
    assertSame(ConnectException.class, failure.get(10, TimeUnit.SECONDS).getClass());
    observed.awaitClientSpans(1);
    assertEquals(before + 1, observed.httpCount("GET", "127.0.0.1", "", ConnectException.class.getName()));
  }

  @Test
  void aCallMadeInsideAnInterceptorIsPartOfTheOuterCall() throws Exception {
    OkHttpClient inner = client;
    OkHttpClient outer = client.newBuilder().addInterceptor(chain -> {
      try (Response token = inner.newCall(new Request.Builder().url(server.url("/status/201")).build()).execute()) {
        return chain.proceed(chain.request().newBuilder().header("X-Token", token.body().string()).build());
      }
    }).build();
    double before = ok("GET");
    double nested = observed.httpCount("GET", "127.0.0.1", "201", "");
    try (Response response = outer.newCall(new Request.Builder().url(server.url("/hello")).build()).execute()) {
      assertEquals("hello", response.body().string());
    }
    CompletableFuture<String> async = new CompletableFuture<>();
    outer.newCall(new Request.Builder().url(server.url("/hello")).build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        async.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        async.complete(response.body().string());
      }
    });
    assertEquals("hello", async.get(10, TimeUnit.SECONDS));
    observed.awaitClientSpans(2);
    assertEquals(before + 2, ok("GET"));
    assertEquals(nested, observed.httpCount("GET", "127.0.0.1", "201", ""), "the interceptor's own calls are not measured");
    assertEquals(2, observed.clientSpans().size());
    assertEquals("status 201", server.received.get(1).header("x-token"));
    assertEquals(traceparentOf(observed.clientSpans().get(0)), server.received.get(1).header("traceparent"));
    assertNull(server.received.get(0).header("traceparent"), "the unmeasured inner call carries no trace of its own");
  }

  @Test
  void aCallMadeFromAnAsynchronousCallbackIsMeasuredOnItsOwn() throws Exception {
    double before = ok("GET");
    CompletableFuture<String> second = new CompletableFuture<>();
    client.newCall(new Request.Builder().url(server.url("/hello")).build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        second.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        response.close();
        try (Response next = client.newCall(new Request.Builder().url(server.url("/hello")).build()).execute()) {
          second.complete(next.body().string());
        }
      }
    });
    assertEquals("hello", second.get(10, TimeUnit.SECONDS));
    observed.awaitClientSpans(2);
    assertEquals(before + 2, ok("GET"));
  }

  @Test
  void anExecutedCallRunAgainIsRefusedAsBeforeAndNotMeasured() throws IOException {
    Call call = client.newCall(new Request.Builder().url(server.url("/hello")).build());
    call.execute().close();
    double before = ok("GET");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, call::execute);
    assertEquals("Already Executed", thrown.getMessage());
    assertEquals(before, ok("GET"));
    assertEquals(1, observed.clientSpans().size());
  }
}
