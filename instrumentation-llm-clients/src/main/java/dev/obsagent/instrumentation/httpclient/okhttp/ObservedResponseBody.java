package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * An LLM call's response body: the same content type, length, bytes and exceptions as the
 * original, whose bytes the measured call sees as the application reads them. The end of the
 * body, or its close, completes the call; a read that fails fails it.
 */
final class ObservedResponseBody extends ResponseBody {

  private final ResponseBody delegate;
  private final HttpClientCall measured;
  private BufferedSource source;

  ObservedResponseBody(ResponseBody delegate, HttpClientCall measured) {
    this.delegate = delegate;
    this.measured = measured;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) {
      source = Okio.buffer(new ObservedSource(delegate.source(), measured));
    }
    return source;
  }

  @Override
  public void close() {
    try {
      measured.onResponseComplete();
    } finally {
      delegate.close();
    }
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Reads through to the original source and shows each chunk to the measured call. */
  static final class ObservedSource extends ForwardingSource {
    private final HttpClientCall measured;
    private final BodyBytes observer;
    private boolean done;

    ObservedSource(Source delegate, HttpClientCall measured) {
      super(delegate);
      this.measured = measured;
      this.observer = new BodyBytes(measured, false);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read;
      try {
        read = super.read(sink, byteCount);
      } catch (IOException | RuntimeException | Error error) {
        fail(error);
        throw error;
      }
      if (read > 0) {
        observe(sink, read);
      } else if (read == -1) {
        complete();
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      complete();
      super.close();
    }

    private void observe(Buffer sink, long read) {
      if (done) {
        return;
      }
      try {
        sink.copyTo(observer, sink.size() - read, read);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, OkHttpHelper.INSTRUMENTATION);
      }
    }

    private void complete() {
      if (!done) {
        done = true;
        measured.onResponseComplete();
      }
    }

    private void fail(Throwable error) {
      if (!done) {
        done = true;
        measured.onError(error);
      }
    }
  }
}
