package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

/**
 * One measured classic call: the request entity is tapped while the client writes it, and for
 * LLM calls the response entity is wrapped so its body is read as the application reads it.
 */
public final class ApacheClassicCall {

  private final HttpClientCall call;
  /** The application's own request entity, put back when the call returns; null if not wrapped. */
  private final HttpEntity requestEntity;

  private ApacheClassicCall(HttpClientCall call, HttpEntity requestEntity) {
    this.call = call;
    this.requestEntity = requestEntity;
  }

  /** Starts measuring, or returns null when the call is not measured. */
  public static ApacheClassicCall start(HttpHost target, ClassicHttpRequest request) {
    HttpClientCall call = ApacheRequests.start(target, request);
    if (call == null) {
      return null;
    }
    HttpEntity entity = null;
    try {
      if (call.observesBodies()) {
        entity = request.getEntity();
        if (entity != null) {
          request.setEntity(new ObservedRequestEntity(entity, call));
        }
      }
    } catch (Throwable error) {
      InstrumentationErrors.record(error, ApacheRequests.INSTRUMENTATION);
    }
    return new ApacheClassicCall(call, entity);
  }

  /** {@code doExecute} returned {@code response} or threw {@code thrown}. */
  public void end(ClassicHttpRequest request, ClassicHttpResponse response, Throwable thrown) {
    try {
      if (requestEntity != null && request.getEntity() instanceof ObservedRequestEntity) {
        request.setEntity(requestEntity);
      }
    } catch (Throwable error) {
      InstrumentationErrors.record(error, ApacheRequests.INSTRUMENTATION);
    }
    if (thrown != null || response == null) {
      ApacheRequests.failed(call, thrown != null ? thrown : new IllegalStateException("no response"));
      return;
    }
    try {
      HttpEntity entity = response.getEntity();
      String contentType = entity != null ? entity.getContentType() : headerValue(response, "Content-Type");
      String contentEncoding = entity != null ? entity.getContentEncoding() : null;
      // The body the application reads is decoded when the exec chain decompressed it: 5.6 then
      // leaves the Content-Encoding header but its entity says null; earlier 5.x removed the header.
      if (contentEncoding != null && !response.containsHeader("Content-Encoding")) {
        contentEncoding = null;
      }
      ApacheRequests.response(call, response.getCode(), contentType, contentEncoding);
      if (!call.observesBodies()) {
        return;
      }
      if (entity == null) {
        ApacheRequests.complete(call);
      } else {
        response.setEntity(new ObservedResponseEntity(entity, call));
      }
    } catch (Throwable error) {
      InstrumentationErrors.record(error, ApacheRequests.INSTRUMENTATION);
      ApacheRequests.failed(call, error);
    }
  }

  private static String headerValue(ClassicHttpResponse response, String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }
}
