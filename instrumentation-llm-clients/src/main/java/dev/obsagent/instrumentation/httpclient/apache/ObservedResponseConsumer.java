package dev.obsagent.instrumentation.httpclient.apache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's response consumer. The call sees the response head, then (LLM calls only)
 * every body chunk before the consumer does, and ends before the consumer hands the result on,
 * so the measurement is complete when the application's future or callback fires.
 */
public final class ObservedResponseConsumer<T> implements AsyncResponseConsumer<T> {

  private final AsyncResponseConsumer<T> consumer;
  private final ApacheAsyncExchange exchange;

  ObservedResponseConsumer(AsyncResponseConsumer<T> consumer, ApacheAsyncExchange exchange) {
    this.consumer = consumer;
    this.exchange = exchange;
  }

  @Override
  public void consumeResponse(
      HttpResponse response, EntityDetails entityDetails, HttpContext context, FutureCallback<T> resultCallback)
      throws HttpException, IOException {
    if (response != null) {
      exchange.onResponse(response, entityDetails);
    }
    consumer.consumeResponse(response, entityDetails, context, resultCallback);
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
    consumer.informationResponse(response, context);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    consumer.updateCapacity(capacityChannel);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    if (src != null) {
      exchange.responseBytes(src);
    }
    consumer.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    exchange.completed();
    consumer.streamEnd(trailers);
  }

  @Override
  public void failed(Exception cause) {
    exchange.failed(cause);
    consumer.failed(cause);
  }

  @Override
  public void releaseResources() {
    consumer.releaseResources();
  }
}
