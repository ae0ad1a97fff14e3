package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body stream that hands the call each byte the application reads, once (a
 * {@code reset()} re-read is not handed over again), completes it at the end of the stream or on
 * close, and fails it when reading fails. Every read, skip and exception is the real stream's.
 */
final class ObservedInputStream extends InputStream {

  private final InputStream in;
  private final HttpClientCall call;
  /** Bytes read so far (moved back by reset) and the number already handed to the call. */
  private long position;
  private long observed;
  private long mark;

  ObservedInputStream(InputStream in, HttpClientCall call) {
    this.in = in;
    this.call = call;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException | RuntimeException e) {
      ApacheRequests.failed(call, e);
      throw e;
    }
    if (b < 0) {
      ApacheRequests.complete(call);
    } else {
      if (position++ == observed) {
        observed++;
        ApacheRequests.responseBytes(call, new byte[] {(byte) b}, 0, 1);
      }
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    int n;
    try {
      n = in.read(bytes, offset, length);
    } catch (IOException | RuntimeException e) {
      ApacheRequests.failed(call, e);
      throw e;
    }
    if (n < 0) {
      ApacheRequests.complete(call);
    } else if (n > 0) {
      observe(bytes, offset, n);
    }
    return n;
  }

  /** Skipped bytes are read through, so the call still sees the whole body. */
  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    try {
      in.close();
    } finally {
      ApacheRequests.complete(call);
    }
  }

  @Override
  public boolean markSupported() {
    return in.markSupported();
  }

  @Override
  public synchronized void mark(int readLimit) {
    in.mark(readLimit);
    mark = position;
  }

  @Override
  public synchronized void reset() throws IOException {
    in.reset();
    position = mark;
  }

  private void observe(byte[] bytes, int offset, int n) {
    long end = position + n;
    if (end > observed) {
      int fresh = (int) (end - observed);
      ApacheRequests.responseBytes(call, bytes, offset + n - fresh, fresh);
      observed = end;
    }
    position = end;
  }
}
