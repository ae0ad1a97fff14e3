package dev.obsagent.instrumentation.httpclient.apache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/** Copies the request body bytes the channel accepted to the call; the channel does the rest. */
public final class ObservedDataStreamChannel implements DataStreamChannel {

  private final DataStreamChannel channel;
  private final ApacheAsyncExchange exchange;
  private volatile boolean ended;

  ObservedDataStreamChannel(DataStreamChannel channel, ApacheAsyncExchange exchange) {
    this.channel = channel;
    this.exchange = exchange;
  }

  boolean wraps(DataStreamChannel other) {
    return channel == other;
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void requestOutput() {
    channel.requestOutput();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int start = src.position();
    int written = channel.write(src);
    if (written > 0 && !ended) {
      copy(src, start, written);
    }
    return written;
  }

  @Override
  public void endStream() throws IOException {
    ended = true;
    channel.endStream();
  }

  @Override
  public void endStream(List<? extends Header> trailers) throws IOException {
    ended = true;
    channel.endStream(trailers);
  }

  private void copy(ByteBuffer src, int start, int length) {
    try {
      byte[] bytes = new byte[length];
      ByteBuffer view = src.duplicate();
      view.limit(start + length);
      view.position(start);
      view.get(bytes);
      exchange.requestBytes(bytes, 0, length);
    } catch (Throwable ignored) {
      // the request went out unchanged; only the observation is lost
    }
  }
}
