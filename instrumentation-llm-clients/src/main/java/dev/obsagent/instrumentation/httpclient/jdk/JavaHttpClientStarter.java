package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientBridge;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientSend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/** Starts the measurement of one {@code HttpClient} send the advice saw. */
final class JavaHttpClientStarter implements JavaHttpClientBridge.Starter {

  /**
   * The client's own request class: a request of that class comes from inside the client (a
   * WebSocket opening handshake), not from the application, and is left alone.
   */
  private static final String CLIENT_INTERNAL_REQUEST = "jdk.internal.net.http.HttpRequestImpl";

  @Override
  public JavaHttpClientSend start(Object requestObject, Object handlerObject) {
    if (!(requestObject instanceof HttpRequest) || !(handlerObject instanceof HttpResponse.BodyHandler)) {
      return null; // null arguments: the client throws its NullPointerException
    }
    HttpRequest request = (HttpRequest) requestObject;
    if (request.getClass().getName().equals(CLIENT_INTERNAL_REQUEST)) {
      return null;
    }
    URI uri = request.uri();
    String scheme = uri == null ? null : uri.getScheme();
    String host = uri == null ? null : uri.getHost();
    if (scheme == null || host == null) {
      return null; // the client rejects it
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // an IPv6 literal, as server.address wants it
    }
    HttpClientCall call =
        HttpClientBridge.recorder()
            .start(
                JavaHttpClientInstrumentationModule.NAME, request.method(), scheme.toLowerCase(Locale.ROOT), host,
                uri.getPort(), uri.getRawPath());
    return call == null ? null : MeasuredSend.of(call, request, (HttpResponse.BodyHandler<?>) handlerObject);
  }
}
