package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;

/**
 * The incremental reader of one HTTP body: content decoding (gzip, deflate), then framing by
 * content type (a JSON body or NDJSON lines, server-sent events, AWS event stream), then the
 * long-string filter and the JSON parser that hands values to a {@link JsonFieldHandler}.
 *
 * <p>Memory stays bounded whatever the body size: no stage keeps more than a few kilobytes, and
 * none keeps a reference to the caller's arrays.
 */
public final class BodyParser {

  /** How the body is cut into JSON documents. */
  public enum Framing { JSON, NDJSON, SSE, EVENT_STREAM }

  private final Framing framing;
  private final JsonStream json;
  private final ByteSink input;
  private final EventStreamFramer eventStream;
  private final GzipDecoder decoder;

  private BodyParser(Framing framing, String contentEncoding, JsonFieldHandler handler, int maxStringBytes)
      throws IOException {
    this.framing = framing;
    this.json = new JsonStream(handler, maxStringBytes);
    ByteSink filtered = new LongStringFilter(json, maxStringBytes);
    ByteSink framed;
    switch (framing) {
      case SSE:
        framed = new SseFramer(filtered, json);
        eventStream = null;
        break;
      case EVENT_STREAM:
        eventStream = new EventStreamFramer(filtered);
        framed = eventStream;
        break;
      default: // JSON and NDJSON: NDJSON lines are a sequence of root values to the parser
        framed = filtered;
        eventStream = null;
    }
    this.decoder = decoder(contentEncoding, framed);
    this.input = decoder == null ? framed : decoder;
  }

  /**
   * @param contentType the response's {@code Content-Type}, or null
   * @param contentEncoding the response's {@code Content-Encoding}, or null
   * @throws MalformedBodyException for a content encoding that cannot be decoded here (e.g. {@code br})
   */
  public static BodyParser create(String contentType, String contentEncoding, JsonFieldHandler handler)
      throws IOException {
    return new BodyParser(framing(contentType), contentEncoding, handler, LongStringFilter.KEEP);
  }

  /**
   * Like {@link #create(String, String, JsonFieldHandler)}, letting strings of up to
   * {@code maxStringBytes} through to the handler whole (content capture reads prompt and
   * completion text; without it every string is cut short).
   */
  public static BodyParser create(
      String contentType, String contentEncoding, JsonFieldHandler handler, int maxStringBytes) throws IOException {
    return new BodyParser(framing(contentType), contentEncoding, handler, Math.max(maxStringBytes, LongStringFilter.KEEP));
  }

  public static Framing framing(String contentType) {
    if (contentType == null) {
      return Framing.JSON;
    }
    if (startsWithIgnoreCase(contentType, "text/event-stream")) {
      return Framing.SSE;
    }
    if (startsWithIgnoreCase(contentType, "application/vnd.amazon.eventstream")) {
      return Framing.EVENT_STREAM;
    }
    if (startsWithIgnoreCase(contentType, "application/x-ndjson")
        || startsWithIgnoreCase(contentType, "application/ndjson")
        || startsWithIgnoreCase(contentType, "application/jsonl")
        || startsWithIgnoreCase(contentType, "application/x-jsonlines")) {
      return Framing.NDJSON;
    }
    return Framing.JSON;
  }

  /** True when the content type says the body is a stream of events. */
  public boolean streamedFraming() {
    return framing != Framing.JSON;
  }

  public void write(byte[] bytes, int offset, int length) throws IOException {
    input.write(bytes, offset, length);
  }

  /** Ends the body; throws {@link MalformedBodyException} when it stopped inside a document or frame. */
  public void finish() throws IOException {
    try {
      json.endOfInput();
    } catch (IOException e) {
      throw new MalformedBodyException("body ends inside a JSON value");
    }
    if (json.incomplete() || (eventStream != null && eventStream.midMessage())) {
      throw new MalformedBodyException("body ends inside a document");
    }
  }

  /** Releases native memory (the inflater); safe to call more than once. */
  public void close() {
    if (decoder != null) {
      decoder.close();
    }
  }

  private static GzipDecoder decoder(String contentEncoding, ByteSink next) throws MalformedBodyException {
    if (contentEncoding == null) {
      return null;
    }
    String encoding = contentEncoding.trim();
    if (encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
      return null;
    }
    if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
      return GzipDecoder.gzip(next);
    }
    if (encoding.equalsIgnoreCase("deflate")) {
      return GzipDecoder.deflate(next);
    }
    throw new MalformedBodyException("content encoding " + encoding + " is not decoded by the agent");
  }

  private static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
