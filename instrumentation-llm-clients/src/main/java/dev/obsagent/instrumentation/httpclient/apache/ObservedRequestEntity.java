package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The application's request entity, unchanged, with the bytes of its first {@code writeTo} (the
 * client sending it) copied to the call: a non-repeatable stream is read once, by the client, as
 * it would be without the agent. A retry's second write is not observed again.
 */
public final class ObservedRequestEntity extends HttpEntityWrapper {

  private final HttpClientCall call;
  private final AtomicBoolean written = new AtomicBoolean();

  public ObservedRequestEntity(HttpEntity entity, HttpClientCall call) {
    super(entity);
    this.call = call;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (out != null && written.compareAndSet(false, true)) {
      super.writeTo(new TeeOutputStream(out, call, true));
    } else {
      super.writeTo(out);
    }
  }
}
