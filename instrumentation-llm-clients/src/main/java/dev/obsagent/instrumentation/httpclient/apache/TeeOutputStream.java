package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.io.IOException;
import java.io.OutputStream;

/** Writes every byte to the real stream, then copies what was written to the call. */
final class TeeOutputStream extends OutputStream {

  private final OutputStream out;
  private final HttpClientCall call;
  private final boolean request;

  TeeOutputStream(OutputStream out, HttpClientCall call, boolean request) {
    this.out = out;
    this.call = call;
    this.request = request;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    byte[] one = {(byte) b};
    observe(one, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    if (length > 0) {
      observe(bytes, offset, length);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void observe(byte[] bytes, int offset, int length) {
    if (request) {
      ApacheRequests.requestBytes(call, bytes, offset, length);
    } else {
      ApacheRequests.responseBytes(call, bytes, offset, length);
    }
  }
}
