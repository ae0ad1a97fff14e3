package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Starts the measurement of one Apache HttpClient 5 request (classic or async) and feeds the
 * bridge without ever throwing into the application. Injected into the client's class loader.
 */
public final class ApacheRequests {

  static final String INSTRUMENTATION = "apache-httpclient";

  private ApacheRequests() {}

  /**
   * Starts measuring {@code request}, sent to {@code target} (null: the request's own scheme and
   * authority), and adds the trace headers to it. Returns null when the call is not measured.
   */
  public static HttpClientCall start(HttpHost target, HttpRequest request) {
    try {
      String scheme;
      String host;
      int port;
      if (target != null) {
        scheme = target.getSchemeName();
        host = target.getHostName();
        port = target.getPort();
      } else {
        scheme = request.getScheme();
        URIAuthority authority = request.getAuthority();
        host = authority != null ? authority.getHostName() : null;
        port = authority != null ? authority.getPort() : -1;
      }
      String path = request.getPath();
      if (host == null || path == null || (!path.isEmpty() && path.charAt(0) != '/')) {
        // An absolute-form path or no authority: let the request put its URI together.
        URI uri = request.getUri();
        if (host == null) {
          scheme = uri.getScheme();
          host = uri.getHost();
          port = uri.getPort();
        }
        path = uri.getRawPath();
      }
      if (host == null) {
        return null;
      }
      HttpClientCall call =
          HttpClientBridge.recorder()
              .start(INSTRUMENTATION, request.getMethod(), scheme == null ? "http" : scheme, host, port, withoutQuery(path));
      if (call != null) {
        addHeaders(call.propagationHeaders(), request);
      }
      return call;
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
      return null;
    }
  }

  /** Sets each trace header, replacing a stale one from an earlier send of the same request object. */
  static void addHeaders(String[] headers, HttpRequest request) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
  }

  static String withoutQuery(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int end = path.length();
    int query = path.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return end == path.length() ? path : path.substring(0, end);
  }

  static void requestBytes(HttpClientCall call, byte[] bytes, int offset, int length) {
    try {
      call.onRequestBytes(bytes, offset, length);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }

  static void responseBytes(HttpClientCall call, byte[] bytes, int offset, int length) {
    try {
      call.onResponseBytes(bytes, offset, length);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }

  static void responseBytes(HttpClientCall call, ByteBuffer buffer) {
    try {
      call.onResponseBytes(buffer);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }

  static void complete(HttpClientCall call) {
    try {
      call.onResponseComplete();
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }

  static void failed(HttpClientCall call, Throwable failure) {
    try {
      call.onError(failure);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }

  static void response(HttpClientCall call, int status, String contentType, String contentEncoding) {
    try {
      call.onResponse(status, contentType, contentEncoding);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, INSTRUMENTATION);
    }
  }
}
