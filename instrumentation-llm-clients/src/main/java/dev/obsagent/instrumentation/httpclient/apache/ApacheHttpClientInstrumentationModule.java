package dev.obsagent.instrumentation.httpclient.apache;

import static dev.obsagent.core.api.MethodMatchers.isAbstract;
import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.not;
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
 * Apache HttpClient 5 ({@code obs.instrumentation.apache-httpclient.enabled}).
 *
 * <p>Classic client: every {@code CloseableHttpClient.execute} form (with or without a target
 * host, a context, a response handler; {@code executeOpen}) goes through
 * {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}, so that one method is woven in
 * every subclass ({@code InternalHttpClient}, {@code MinimalHttpClient}, the application's own);
 * the call depth makes one application call one measurement, with the exec chain's redirects and
 * retries inside it.
 *
 * <p>Async client: every {@code CloseableHttpAsyncClient.execute} form goes through
 * {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory,
 * HttpContext, FutureCallback)}; the producer, consumer and callback are wrapped so the call
 * starts when the request is produced (on the caller's thread) and ends with the response.
 */
public final class ApacheHttpClientInstrumentationModule implements InstrumentationModule {

  static final String NAME = "apache-httpclient";
  private static final String PACKAGE = "dev.obsagent.instrumentation.httpclient.apache.";
  private static final String CLASSIC_CLIENT = "org.apache.hc.client5.http.impl.classic.CloseableHttpClient";
  private static final String ASYNC_CLIENT = "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        TypeInstrumentation.forClassesExtending(CLASSIC_CLIENT)
            .whenClassVisible(CLASSIC_CLIENT)
            .advice(
                named("doExecute").and(takesArguments(3))
                    .and(takesArgument(0, "org.apache.hc.core5.http.HttpHost"))
                    .and(takesArgument(1, "org.apache.hc.core5.http.ClassicHttpRequest"))
                    .and(not(isAbstract())),
                PACKAGE + "ApacheClassicAdvice")
            .helpers(
                PACKAGE + "ApacheRequests",
                PACKAGE + "ApacheClassicCall",
                PACKAGE + "ObservedRequestEntity",
                PACKAGE + "ObservedResponseEntity",
                PACKAGE + "ObservedInputStream",
                PACKAGE + "TeeOutputStream")
            .build(),
        TypeInstrumentation.forClassesExtending(ASYNC_CLIENT)
            .whenClassVisible(ASYNC_CLIENT)
            .advice(
                named("doExecute").and(takesArguments(6))
                    .and(takesArgument(1, "org.apache.hc.core5.http.nio.AsyncRequestProducer"))
                    .and(takesArgument(2, "org.apache.hc.core5.http.nio.AsyncResponseConsumer"))
                    .and(takesArgument(5, "org.apache.hc.core5.concurrent.FutureCallback"))
                    .and(not(isAbstract())),
                PACKAGE + "ApacheAsyncAdvice")
            .helpers(
                PACKAGE + "ApacheRequests",
                PACKAGE + "ApacheAsyncExchange",
                PACKAGE + "ObservedRequestProducer",
                PACKAGE + "ObservedRequestChannel",
                PACKAGE + "ObservedDataStreamChannel",
                PACKAGE + "ObservedResponseConsumer",
                PACKAGE + "ObservedFutureCallback")
            .build());
  }

  @Override
  public void start(AgentContext context) {
    HttpClientBridge.install(HttpClientTelemetry.shared(context));
  }
}
