package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.OutputStream;

/**
 * Where Okio's {@code Buffer.copyTo(OutputStream, offset, count)} hands body bytes segment by
 * segment, without copying them: on to the measured call as request or response bytes.
 */
final class BodyBytes extends OutputStream {

  private final HttpClientCall measured;
  private final boolean request;

  BodyBytes(HttpClientCall measured, boolean request) {
    this.measured = measured;
    this.request = request;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (request) {
      measured.onRequestBytes(bytes, offset, length);
    } else {
      measured.onResponseBytes(bytes, offset, length);
    }
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }
}
