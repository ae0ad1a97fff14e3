package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * An LLM call's request body: writes exactly what the application's body writes, and passes the
 * bytes of its first write to the measured call on their way out (a retry or redirect writes the
 * body again; it is the same request). Nothing is read ahead: a one-shot body stays one-shot.
 */
final class ObservedRequestBody extends RequestBody {

  private final RequestBody delegate;
  private final HttpClientCall measured;
  private volatile boolean written;

  ObservedRequestBody(RequestBody delegate, HttpClientCall measured) {
    this.delegate = delegate;
    this.measured = measured;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    if (written) {
      delegate.writeTo(sink);
      return;
    }
    written = true;
    BufferedSink tee = Okio.buffer(new TeeSink(sink, new BodyBytes(measured, true)));
    delegate.writeTo(tee);
    tee.emit(); // the rest into the caller's sink; the caller closes it, as it would have
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Passes every write on to the real sink and shows its bytes to the measured call first. */
  static final class TeeSink extends ForwardingSink {
    private final BodyBytes observer;
    private boolean broken;

    TeeSink(BufferedSink delegate, BodyBytes observer) {
      super(delegate);
      this.observer = observer;
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      if (!broken && byteCount > 0) {
        try {
          source.copyTo(observer, 0, Math.min(byteCount, source.size()));
        } catch (Throwable error) {
          broken = true;
          InstrumentationErrors.record(error, OkHttpHelper.INSTRUMENTATION);
        }
      }
      super.write(source, byteCount);
    }
  }
}
