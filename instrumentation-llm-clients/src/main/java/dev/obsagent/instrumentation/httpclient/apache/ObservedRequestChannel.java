package dev.obsagent.instrumentation.httpclient.apache;

import java.io.IOException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Sees the request as the producer sends it: starts the call and adds the trace headers. */
public final class ObservedRequestChannel implements RequestChannel {

  private final RequestChannel channel;
  private final ApacheAsyncExchange exchange;

  ObservedRequestChannel(RequestChannel channel, ApacheAsyncExchange exchange) {
    this.channel = channel;
    this.exchange = exchange;
  }

  @Override
  public void sendRequest(HttpRequest request, EntityDetails entityDetails, HttpContext context)
      throws HttpException, IOException {
    if (request != null) {
      exchange.onRequest(request);
    }
    channel.sendRequest(request, entityDetails, context);
  }
}
