package dev.obsagent.instrumentation.llm.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Jackson's non-blocking parser fed as bytes arrive, over a sequence of root documents (a body,
 * or the events of a stream, which follow each other as root values). It keeps the path to the
 * current value and hands scalars to a {@link JsonFieldHandler}; no tree is ever built.
 *
 * <p>A root array (Gemini's {@code streamGenerateContent} without {@code alt=sse}) is treated as
 * a sequence of documents, one per element.
 */
public final class JsonStream implements ByteSink {

  static final int MAX_DEPTH = 64;
  private static final byte[] EMPTY = new byte[0];

  /** Backstops only: the string filter in front keeps strings short already. */
  private static final JsonFactory FACTORY = factory(LongStringFilter.KEEP);

  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final JsonFieldHandler handler;
  private final String[] names = new String[MAX_DEPTH + 1];
  private final boolean[] arrays = new boolean[MAX_DEPTH + 1];
  private final int[] indices = new int[MAX_DEPTH + 1];
  private final int[] itemCounts = new int[MAX_DEPTH + 1];
  private final JsonPath path = new JsonPath();
  private final JsonScalar scalar = new JsonScalar();
  private int depth;
  private boolean rootArray;
  private String fieldName;

  public JsonStream(JsonFieldHandler handler) throws IOException {
    this(handler, LongStringFilter.KEEP);
  }

  /** @param maxStringBytes the string length the filter in front lets through */
  JsonStream(JsonFieldHandler handler, int maxStringBytes) throws IOException {
    this.handler = handler;
    JsonFactory factory = maxStringBytes == LongStringFilter.KEEP ? FACTORY : factory(maxStringBytes);
    this.parser = factory.createNonBlockingByteArrayParser();
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return;
    }
    feeder.feedInput(bytes, offset, offset + length);
    drain();
    // The parser keeps its last input array; hand it an empty one so the caller's is not retained.
    feeder.feedInput(EMPTY, 0, 0);
  }

  /** Ends the input; throws if it stopped inside a value. */
  public void endOfInput() throws IOException {
    feeder.endOfInput();
    drain();
  }

  private static JsonFactory factory(int maxStringBytes) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(64)
                .maxStringLength(4 * maxStringBytes)
                .maxNameLength(4 * LongStringFilter.KEEP)
                .build())
        .build();
  }

  /** True while a document is open: the body so far stopped inside one. */
  public boolean inDocument() {
    return depth > (rootArray ? 1 : 0);
  }

  /** True when the body stopped inside a document or a root array. */
  public boolean incomplete() {
    return depth > 0;
  }

  private void drain() throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
      onToken(token);
    }
  }

  private void onToken(JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
      case START_ARRAY:
        boolean array = token == JsonToken.START_ARRAY;
        if (depth == 0 && array) {
          rootArray = true;
        } else if (atDocumentRoot()) {
          handler.onDocumentStart();
        }
        if (depth > 0) {
          noteItem();
        }
        push(depth == 0 || atDocumentRoot() ? null : childName(), array);
        break;
      case END_OBJECT:
      case END_ARRAY:
        depth--;
        if (depth == 0) {
          rootArray = false;
        }
        break;
      case FIELD_NAME:
        fieldName = parser.currentName();
        break;
      default:
        if (!atDocumentRoot()) {
          int from = rootArray ? 2 : 1;
          noteItem();
          names[depth] = childName();
          path.set(names, indices, from, depth - from + 1);
          scalar.set(parser, token);
          handler.onScalar(path, scalar);
        }
    }
  }

  /** True where a new value would be a document root: at the top, or directly in a root array. */
  private boolean atDocumentRoot() {
    return depth == 0 || (rootArray && depth == 1);
  }

  private String childName() {
    return arrays[depth - 1] ? JsonPath.ITEM : fieldName;
  }

  /** A value begins at {@code depth}: inside an array it gets the next item index there. */
  private void noteItem() {
    if (arrays[depth - 1]) {
      indices[depth] = itemCounts[depth - 1]++;
    }
  }

  private void push(String name, boolean array) {
    // Depth is capped by the parser's own nesting limit, which fails first.
    names[depth] = name;
    arrays[depth] = array;
    itemCounts[depth] = 0;
    depth++;
  }
}
