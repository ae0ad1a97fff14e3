package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application's request as the client sends it: everything from the original (method, URI,
 * timeout, version, expect-continue, body), plus the trace headers, and for an LLM call a body
 * publisher that lets the agent read the body as it goes out. {@code HttpRequest} is immutable
 * and {@code HttpRequest.newBuilder(request, filter)} needs JDK 16, so this is a view, which works
 * on JDK 11 too. The client copies it into its own request at once; the application never sees it.
 */
final class TracedHttpRequest extends HttpRequest {

  private final HttpRequest original;
  private final HttpHeaders headers;
  private final Optional<BodyPublisher> bodyPublisher;

  private TracedHttpRequest(HttpRequest original, HttpHeaders headers, Optional<BodyPublisher> bodyPublisher) {
    this.original = original;
    this.headers = headers;
    this.bodyPublisher = bodyPublisher;
  }

  /** The request to send: {@code request} itself when there is nothing to add. */
  static HttpRequest of(HttpRequest request, HttpClientCall call) {
    String[] propagation = call.propagationHeaders();
    Optional<BodyPublisher> body = request.bodyPublisher();
    boolean tapBody = body.isPresent() && call.observesBodies();
    if (propagation.length == 0 && !tapBody) {
      return request;
    }
    return new TracedHttpRequest(
        request,
        withHeaders(request.headers(), propagation),
        tapBody ? Optional.of(new TappedBodyPublisher(body.get(), call)) : body);
  }

  /**
   * The application's headers plus {@code extra} (name, value, ...). A header the application set
   * itself (its own {@code traceparent}) is kept as it is.
   */
  static HttpHeaders withHeaders(HttpHeaders original, String[] extra) {
    if (extra.length == 0) {
      return original;
    }
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    map.putAll(original.map());
    for (int i = 0; i + 1 < extra.length; i += 2) {
      map.putIfAbsent(extra[i], Collections.singletonList(extra[i + 1]));
    }
    return HttpHeaders.of(map, (name, value) -> true);
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return bodyPublisher;
  }

  @Override
  public String method() {
    return original.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return original.timeout();
  }

  @Override
  public boolean expectContinue() {
    return original.expectContinue();
  }

  @Override
  public URI uri() {
    return original.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return original.version();
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }
}
