package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;

/**
 * Server-sent events ({@code text/event-stream}): forwards the value of every {@code data:} line
 * that holds JSON to the JSON stage, as it arrives, without gathering lines. Other fields
 * ({@code event:}, {@code id:}), comments and non-JSON data such as OpenAI's {@code [DONE]} are
 * skipped: every provider repeats the event type inside its JSON. A data line that continues a
 * document left open by the previous one is forwarded too, so multi-line data works.
 */
final class SseFramer implements ByteSink {

  private enum State { LINE_START, FIELD, VALUE_START, JSON_VALUE, SKIP_LINE }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};

  private final ByteSink json;
  private final JsonStream documents;
  private final byte[] single = new byte[1];
  private State state = State.LINE_START;
  private int fieldLength;
  private boolean fieldIsData;
  private boolean afterCarriageReturn;

  SseFramer(ByteSink json, JsonStream documents) {
    this.json = json;
    this.documents = documents;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      byte b = bytes[i];
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (b == '\n') { // the second half of a CRLF
          i++;
          continue;
        }
      }
      if (state == State.JSON_VALUE) {
        int stop = i;
        while (stop < end && bytes[stop] != '\n' && bytes[stop] != '\r') {
          stop++;
        }
        if (stop > i) {
          json.write(bytes, i, stop - i);
        }
        i = stop;
        if (i < end) {
          endLine(bytes[i]);
          i++;
        }
        continue;
      }
      if (b == '\n' || b == '\r') {
        endLine(b);
      } else {
        onLineByte(b);
      }
      i++;
    }
  }

  private void endLine(byte b) {
    afterCarriageReturn = b == '\r';
    state = State.LINE_START;
  }

  private void onLineByte(byte b) throws IOException {
    switch (state) {
      case LINE_START:
        if (b == ':') {
          state = State.SKIP_LINE; // a comment
          return;
        }
        state = State.FIELD;
        fieldLength = 0;
        fieldIsData = true;
        onFieldByte(b);
        return;
      case FIELD:
        onFieldByte(b);
        return;
      case VALUE_START:
        if (b == ' ' || b == '\t') {
          return;
        }
        // JSON documents start with '{'; anything else is JSON only when it continues an open one.
        state = b == '{' || documents.inDocument() ? State.JSON_VALUE : State.SKIP_LINE;
        if (state == State.JSON_VALUE) {
          forwardSingle(b);
        }
        return;
      default:
        // SKIP_LINE: nothing to do until the line ends
    }
  }

  private void onFieldByte(byte b) {
    if (b == ':') {
      state = fieldIsData && fieldLength == DATA.length ? State.VALUE_START : State.SKIP_LINE;
      return;
    }
    fieldIsData = fieldIsData && fieldLength < DATA.length && DATA[fieldLength] == b;
    fieldLength++;
    if (!fieldIsData) {
      state = State.SKIP_LINE;
    }
  }

  private void forwardSingle(byte b) throws IOException {
    single[0] = b;
    json.write(single, 0, 1);
  }
}
