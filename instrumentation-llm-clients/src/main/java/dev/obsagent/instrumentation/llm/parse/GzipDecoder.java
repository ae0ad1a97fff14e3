package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a {@code gzip} (or zlib {@code deflate}) body incrementally into a fixed 8 KB buffer,
 * for the stages after it. The application still reads the compressed bytes it was sent; this
 * only decodes the agent's view of them. The gzip header is read by hand because
 * {@link Inflater} understands raw deflate and zlib only; concatenated gzip members are followed.
 */
final class GzipDecoder implements ByteSink {

  private static final byte[] EMPTY = new byte[0];
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int FHCRC = 2;

  private enum State { HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, TRAILER }

  private final ByteSink next;
  private final boolean gzip;
  private final Inflater inflater;
  private final byte[] out = new byte[8192];
  private final byte[] header = new byte[10];
  private State state;
  private int filled;
  private int flags;
  private int skip;

  private GzipDecoder(ByteSink next, boolean gzip) {
    this.next = next;
    this.gzip = gzip;
    this.inflater = new Inflater(gzip); // gzip members hold raw deflate data
    this.state = gzip ? State.HEADER : State.DEFLATE;
  }

  static GzipDecoder gzip(ByteSink next) {
    return new GzipDecoder(next, true);
  }

  static GzipDecoder deflate(ByteSink next) {
    return new GzipDecoder(next, false);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (state == State.DEFLATE) {
        i = inflate(bytes, i, end);
      } else {
        i = header(bytes, i, end);
      }
    }
  }

  /** Frees the inflater's native memory. */
  void close() {
    inflater.end();
  }

  private int inflate(byte[] bytes, int i, int end) throws IOException {
    inflater.setInput(bytes, i, end - i);
    try {
      while (true) {
        int n = inflater.inflate(out);
        if (n > 0) {
          next.write(out, 0, n);
        } else if (inflater.needsDictionary()) {
          throw new MalformedBodyException("deflate stream needs a preset dictionary");
        } else {
          break; // finished, or every input byte consumed
        }
      }
    } catch (DataFormatException e) {
      throw new MalformedBodyException("not a valid " + (gzip ? "gzip" : "deflate") + " body");
    }
    int consumed = (end - i) - inflater.getRemaining();
    inflater.setInput(EMPTY); // do not keep the caller's array
    if (inflater.finished()) {
      state = gzip ? State.TRAILER : State.DEFLATE;
      skip = 8; // CRC32 and size; the body is checked by the JSON that comes out of it
      if (!gzip && consumed < end - i) {
        return end; // bytes after a zlib stream: ignore
      }
    }
    return i + consumed;
  }

  private int header(byte[] bytes, int i, int end) throws IOException {
    int b = bytes[i] & 0xFF;
    switch (state) {
      case HEADER:
        header[filled++] = (byte) b;
        if (filled == 1 && b != 0x1f || filled == 2 && b != 0x8b || filled == 3 && b != 8) {
          throw new MalformedBodyException("not a gzip body");
        }
        if (filled == header.length) {
          flags = header[3] & 0xFF;
          filled = 0;
          nextHeaderPart(State.HEADER);
        }
        break;
      case EXTRA_LENGTH:
        skip = filled == 0 ? b : skip | (b << 8);
        if (++filled == 2) {
          filled = 0;
          state = State.EXTRA;
          if (skip == 0) {
            nextHeaderPart(State.EXTRA);
          }
        }
        break;
      case EXTRA:
      case HEADER_CRC:
        if (--skip == 0) {
          nextHeaderPart(state);
        }
        break;
      case NAME:
      case COMMENT:
        if (b == 0) {
          nextHeaderPart(state);
        }
        break;
      default: // TRAILER
        if (--skip == 0) {
          inflater.reset();
          state = State.HEADER; // another gzip member may follow
        }
    }
    return i + 1;
  }

  /** Moves to the next optional header part that the flags announce, or to the data. */
  private void nextHeaderPart(State done) {
    if (done.ordinal() < State.EXTRA_LENGTH.ordinal() && (flags & FEXTRA) != 0) {
      state = State.EXTRA_LENGTH;
    } else if (done.ordinal() < State.NAME.ordinal() && (flags & FNAME) != 0) {
      state = State.NAME;
    } else if (done.ordinal() < State.COMMENT.ordinal() && (flags & FCOMMENT) != 0) {
      state = State.COMMENT;
    } else if (done.ordinal() < State.HEADER_CRC.ordinal() && (flags & FHCRC) != 0) {
      state = State.HEADER_CRC;
      skip = 2;
    } else {
      state = State.DEFLATE;
    }
  }
}
