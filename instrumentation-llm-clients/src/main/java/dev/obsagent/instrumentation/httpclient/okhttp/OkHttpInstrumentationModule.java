package dev.obsagent.instrumentation.httpclient.okhttp;

import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static dev.obsagent.core.api.MethodMatchers.takesArguments;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.instrumentation.httpclient.HttpClientTelemetry;
import java.util.Arrays;
import java.util.List;

/**
 * OkHttp 4.x and 5.x ({@code obs.instrumentation.okhttp.enabled}): every {@code Call.execute()}
 * and {@code Call.enqueue(Callback)} is one measured call, with the client's retries, redirects,
 * auth follow-ups and every interceptor inside it. Both lines share the classes woven here
 * ({@code okhttp3.internal.connection.RealCall}, its {@code AsyncCall}, and
 * {@code okhttp3.internal.http.RealInterceptorChain}).
 *
 * <ul>
 *   <li>{@code RealCall.execute()}: starts the call, ends it at the response headers (or the
 *       failure); for an LLM call hands the application a body that reports what it reads.
 *   <li>{@code RealCall.enqueue(Callback)}: starts the call on the caller's thread (the span's
 *       parent is the caller's context) and wraps the callback, which ends it.
 *   <li>{@code RealCall$AsyncCall.run()} and {@code RealCall.getResponseWithInterceptorChain}:
 *       tell the dispatcher thread which measured call it runs, and mark the chain as nested so
 *       clients that interceptors call are not measured again.
 *   <li>{@code RealInterceptorChain.proceed(Request)}: the first {@code proceed} of a measured
 *       call replaces the request with a copy that carries the trace headers (and, for an LLM
 *       call, a request body that reports what it writes); the application's own request object
 *       is never changed.
 * </ul>
 */
public final class OkHttpInstrumentationModule implements InstrumentationModule {

  private static final String PACKAGE = "dev.obsagent.instrumentation.httpclient.okhttp.";
  private static final String REAL_CALL = "okhttp3.internal.connection.RealCall";

  private static final String[] HELPERS = {
    PACKAGE + "OkHttpHelper",
    PACKAGE + "OkHttpHelper$Pending",
    PACKAGE + "MeasuredCallback",
    PACKAGE + "ObservedRequestBody",
    PACKAGE + "ObservedRequestBody$TeeSink",
    PACKAGE + "ObservedResponseBody",
    PACKAGE + "ObservedResponseBody$ObservedSource",
    PACKAGE + "BodyBytes",
  };

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        TypeInstrumentation.forTypesNamed(REAL_CALL)
            .whenClassVisible("okio.ForwardingSource")
            .advice(named("execute").and(takesArguments(0)), PACKAGE + "ExecuteAdvice")
            .advice(
                named("enqueue").and(takesArguments(1)).and(takesArgument(0, "okhttp3.Callback")),
                PACKAGE + "EnqueueAdvice")
            .advice(
                named("getResponseWithInterceptorChain$okhttp").and(takesArguments(0)),
                PACKAGE + "InterceptorChainAdvice")
            .helpers(HELPERS)
            .build(),
        TypeInstrumentation.forTypesNamed(REAL_CALL + "$AsyncCall")
            .whenClassVisible("okio.ForwardingSource")
            .advice(named("run").and(takesArguments(0)), PACKAGE + "AsyncCallRunAdvice")
            .helpers(HELPERS)
            .build(),
        TypeInstrumentation.forTypesNamed("okhttp3.internal.http.RealInterceptorChain")
            .whenClassVisible("okio.ForwardingSource")
            .advice(
                named("proceed").and(takesArguments(1)).and(takesArgument(0, "okhttp3.Request")),
                PACKAGE + "ProceedAdvice")
            .helpers(HELPERS)
            .build());
  }

  @Override
  public void start(AgentContext context) {
    HttpClientBridge.install(HttpClientTelemetry.shared(context));
  }
}
