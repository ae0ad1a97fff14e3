package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;
import java.util.zip.CRC32;

/**
 * AWS event-stream framing ({@code application/vnd.amazon.eventstream}), used by Bedrock
 * {@code converse-stream}: each message is a 12-byte prelude (total length, headers length, CRC
 * of the first 8 bytes), the headers, a JSON payload, and a CRC of the whole message. Payloads
 * are forwarded to the JSON stage as they arrive; both CRCs are checked incrementally.
 *
 * <p>Headers are skipped: Bedrock's payload fields ({@code stopReason}, {@code usage}) identify
 * themselves without the {@code :event-type} header. An exception message's payload carries no
 * usage, so such a stream simply counts no tokens.
 */
final class EventStreamFramer implements ByteSink {

  private static final int PRELUDE = 12;
  private static final int CRC = 4;
  /** Larger than any message the service sends; a bigger length means we lost the framing. */
  private static final long MAX_MESSAGE = 24L * 1024 * 1024;

  private enum State { PRELUDE, HEADERS, PAYLOAD, MESSAGE_CRC }

  private final ByteSink json;
  private final CRC32 crc = new CRC32();
  private final byte[] small = new byte[PRELUDE];
  private State state = State.PRELUDE;
  private int filled;
  private long left;
  private long payloadLength;

  EventStreamFramer(ByteSink json) {
    this.json = json;
  }

  /** True when the body stopped inside a message. */
  boolean midMessage() {
    return state != State.PRELUDE || filled > 0;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      switch (state) {
        case PRELUDE:
          i = fill(bytes, i, end, PRELUDE);
          if (filled == PRELUDE) {
            onPrelude();
          }
          break;
        case HEADERS:
          i = skipHeaders(bytes, i, end);
          break;
        case PAYLOAD:
          int n = (int) Math.min(left, end - i);
          crc.update(bytes, i, n);
          json.write(bytes, i, n);
          i += n;
          left -= n;
          if (left == 0) {
            state = State.MESSAGE_CRC;
          }
          break;
        default:
          i = fill(bytes, i, end, CRC);
          if (filled == CRC) {
            if (readInt(0) != (int) crc.getValue()) {
              throw new MalformedBodyException("event-stream message CRC mismatch");
            }
            filled = 0;
            state = State.PRELUDE;
          }
      }
    }
  }

  private int fill(byte[] bytes, int i, int end, int wanted) {
    int n = Math.min(wanted - filled, end - i);
    System.arraycopy(bytes, i, small, filled, n);
    filled += n;
    return i + n;
  }

  private void onPrelude() throws IOException {
    crc.reset();
    crc.update(small, 0, 8);
    if (readInt(8) != (int) crc.getValue()) {
      throw new MalformedBodyException("event-stream prelude CRC mismatch");
    }
    crc.update(small, 8, 4);
    long total = readInt(0) & 0xFFFFFFFFL;
    long headers = readInt(4) & 0xFFFFFFFFL;
    if (total < PRELUDE + CRC || total > MAX_MESSAGE || headers > total - PRELUDE - CRC) {
      throw new MalformedBodyException("event-stream lengths out of range");
    }
    filled = 0;
    payloadLength = total - headers - PRELUDE - CRC;
    left = headers;
    state = State.HEADERS;
    if (left == 0) {
      startPayload();
    }
  }

  private int skipHeaders(byte[] bytes, int i, int end) {
    int n = (int) Math.min(left, end - i);
    crc.update(bytes, i, n);
    left -= n;
    if (left == 0) {
      startPayload();
    }
    return i + n;
  }

  private void startPayload() {
    left = payloadLength;
    state = left == 0 ? State.MESSAGE_CRC : State.PAYLOAD;
  }

  private int readInt(int at) {
    return ((small[at] & 0xFF) << 24) | ((small[at + 1] & 0xFF) << 16) | ((small[at + 2] & 0xFF) << 8) | (small[at + 3] & 0xFF);
  }
}
