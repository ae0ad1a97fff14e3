package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The response entity of an LLM call, unchanged, whose bytes reach the call as the application
 * reads them: through {@link #getContent()} (what {@code EntityUtils} and response handlers use)
 * or {@link #writeTo}; the end of the body, or closing it, completes the call.
 */
public final class ObservedResponseEntity extends HttpEntityWrapper {

  private final HttpClientCall call;

  public ObservedResponseEntity(HttpEntity entity, HttpClientCall call) {
    super(entity);
    this.call = call;
  }

  @Override
  public InputStream getContent() throws IOException {
    InputStream content;
    try {
      content = super.getContent();
    } catch (IOException | RuntimeException e) {
      ApacheRequests.failed(call, e);
      throw e;
    }
    return content == null ? null : new ObservedInputStream(content, call);
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (out == null) {
      super.writeTo(out); // the wrapped entity's own argument check
      return;
    }
    try {
      super.writeTo(new TeeOutputStream(out, call, false));
    } catch (IOException | RuntimeException | Error e) {
      ApacheRequests.failed(call, e);
      throw e;
    }
    ApacheRequests.complete(call);
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      ApacheRequests.complete(call);
    }
  }
}
