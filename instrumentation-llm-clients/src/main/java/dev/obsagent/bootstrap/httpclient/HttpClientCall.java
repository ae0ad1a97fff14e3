package dev.obsagent.bootstrap.httpclient;

import java.nio.ByteBuffer;

/**
 * One outgoing HTTP call being measured, from {@link HttpClientRecorder#start} to its end. The
 * advice of each client drives it in this order:
 *
 * <ol>
 *   <li>{@link #propagationHeaders()} are added to the request as it is sent;
 *   <li>when {@link #observesBodies()}, the request body is fed to {@link #onRequestBytes} as the
 *       client writes it;
 *   <li>{@link #onResponse} when the status line and headers arrived: the HTTP client measurement
 *       ends there;
 *   <li>when {@link #observesBodies()}, the response body is fed to {@link #onResponseBytes} as
 *       the application reads it, then {@link #onResponseComplete()} at its end or close;
 *   <li>{@link #onError} instead, whenever the call fails (before or during the body).
 * </ol>
 *
 * Callbacks may come from different threads one after the other (async clients). After the
 * first terminal event later ones do nothing. No method throws.
 */
public abstract class HttpClientCall {

  /**
   * Headers to add to the outgoing request so the server joins the trace ({@code traceparent},
   * {@code tracestate}, {@code baggage}), as name, value, name, value, ...; never null.
   */
  public abstract String[] propagationHeaders();

  /**
   * True when the agent reads the bodies of this call (an LLM API call): only then does the
   * advice wrap the request and response bodies. Other calls leave the bodies untouched.
   */
  public abstract boolean observesBodies();

  /** A chunk of the request body as the client writes it. */
  public abstract void onRequestBytes(byte[] bytes, int offset, int length);

  /** The status line and headers arrived. Content type and encoding may be null. */
  public abstract void onResponse(int status, String contentType, String contentEncoding);

  /** A chunk of the response body as the application reads it. */
  public abstract void onResponseBytes(byte[] bytes, int offset, int length);

  /**
   * A chunk of the response body as the application reads it; the buffer's position and limit
   * are left as they were.
   */
  public abstract void onResponseBytes(ByteBuffer buffer);

  /** The response body ended, or the application closed it. */
  public abstract void onResponseComplete();

  /** The call failed: connect error, timeout, cancellation, or an error while reading the body. */
  public abstract void onError(Throwable error);
}
