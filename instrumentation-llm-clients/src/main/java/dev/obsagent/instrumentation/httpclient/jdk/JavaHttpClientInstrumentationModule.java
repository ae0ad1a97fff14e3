package dev.obsagent.instrumentation.httpclient.jdk;

import static dev.obsagent.core.api.MethodMatchers.isPrivate;
import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static dev.obsagent.core.api.MethodMatchers.takesArguments;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import dev.obsagent.instrumentation.httpclient.HttpClientTelemetry;
import java.util.Collections;
import java.util.List;

/**
 * {@code java.net.http.HttpClient} ({@code obs.instrumentation.java-http-client.enabled}): every
 * {@code send} and {@code sendAsync}, with the redirects, retries and authentication the client
 * makes inside it, is one call.
 *
 * <p>On JDK 11 to 25 all three public methods go through one private method of
 * {@code jdk.internal.net.http.HttpClientImpl}, {@code sendAsync(request, handler, pushHandler,
 * executor)}: the advice goes there, so {@code send} (which calls it) is measured once. That
 * class is in the platform loader inside the named module {@code java.net.http}; the installer
 * weaves it by name (see {@code IgnoredTypes}) and gives the module a read edge to the bridge.
 * Everything that needs {@code java.net.http} types (the request with trace headers, the observed
 * body handler) lives in this package, in the agent's loader, behind
 * {@link JavaHttpClientBridge}.
 */
public final class JavaHttpClientInstrumentationModule implements InstrumentationModule {

  static final String NAME = "java-http-client";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(
        TypeInstrumentation.forTypesNamed("jdk.internal.net.http.HttpClientImpl")
            .advice(
                named("sendAsync").and(isPrivate()).and(takesArguments(4))
                    .and(takesArgument(0, "java.net.http.HttpRequest"))
                    .and(takesArgument(1, "java.net.http.HttpResponse$BodyHandler")),
                "dev.obsagent.instrumentation.httpclient.jdk.JavaHttpClientAdvice")
            .build());
  }

  @Override
  public void start(AgentContext context) {
    HttpClientBridge.install(HttpClientTelemetry.shared(context));
    JavaHttpClientBridge.install(new JavaHttpClientStarter());
  }
}
