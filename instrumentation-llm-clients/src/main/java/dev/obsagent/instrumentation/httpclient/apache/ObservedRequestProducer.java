package dev.obsagent.instrumentation.httpclient.apache;

import java.io.IOException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's request producer: the request it sends passes through
 * {@link ObservedRequestChannel}, and for LLM calls the body it writes through
 * {@link ObservedDataStreamChannel}. Everything else is the producer's own.
 */
public final class ObservedRequestProducer implements AsyncRequestProducer {

  private final AsyncRequestProducer producer;
  private final ApacheAsyncExchange exchange;
  private ObservedDataStreamChannel lastChannel;

  ObservedRequestProducer(AsyncRequestProducer producer, ApacheAsyncExchange exchange) {
    this.producer = producer;
    this.exchange = exchange;
  }

  @Override
  public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
    producer.sendRequest(channel == null ? null : new ObservedRequestChannel(channel, exchange), context);
  }

  @Override
  public boolean isRepeatable() {
    return producer.isRepeatable();
  }

  @Override
  public void failed(Exception cause) {
    producer.failed(cause);
  }

  @Override
  public int available() {
    return producer.available();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    producer.produce(observed(channel));
  }

  @Override
  public void releaseResources() {
    producer.releaseResources();
  }

  private DataStreamChannel observed(DataStreamChannel channel) {
    if (channel == null || !exchange.observesBodies()) {
      return channel;
    }
    ObservedDataStreamChannel last = lastChannel;
    if (last != null && last.wraps(channel)) {
      return last.ended() ? channel : last;
    }
    if (last != null && last.ended()) {
      return channel; // a retry writes the body again: it was observed the first time
    }
    ObservedDataStreamChannel wrapper = new ObservedDataStreamChannel(channel, exchange);
    lastChannel = wrapper;
    return wrapper;
  }
}
