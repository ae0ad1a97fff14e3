package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;

/**
 * Cuts every JSON string (value or name) to its first {@value #KEEP} bytes (by default) before the JSON
 * parser sees it, so completion text, base64 images and other long strings cost one byte
 * comparison each and are never accumulated: a non-blocking parser would otherwise gather a whole
 * string token in memory, however long. Every value the agent reads (model, id, finish reason) is
 * far shorter.
 *
 * <p>Forwards runs of the caller's array without copying. Cuts only at a character boundary,
 * never inside an escape or a UTF-8 sequence, so the parser still sees valid JSON.
 */
final class LongStringFilter implements ByteSink {

  static final int KEEP = 512;

  private final ByteSink next;
  private final int keep;
  private boolean inString;
  private boolean dropping;
  private boolean escaped;
  private int unicodeDigitsLeft;
  private int kept;

  LongStringFilter(ByteSink next) {
    this(next, KEEP);
  }

  /** Keeps the first {@code keep} bytes of every string (more when content capture is on). */
  LongStringFilter(ByteSink next, int keep) {
    this.next = next;
    this.keep = keep;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int end = offset + length;
    int runStart = dropping ? -1 : offset;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (!inString) {
        if (b == '"') {
          inString = true;
          kept = 0;
        }
      } else if (dropping) {
        if (escaped) {
          escaped = false; // the hex digits of a u-escape are never a quote or a backslash
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
          dropping = false;
          runStart = i; // the closing quote goes through
        }
      } else if (unicodeDigitsLeft > 0) {
        unicodeDigitsLeft--;
        kept++;
      } else if (escaped) {
        escaped = false;
        if (b == 'u') {
          unicodeDigitsLeft = 4;
        }
        kept++;
      } else if (b == '"') {
        inString = false;
      } else if (kept >= keep && (b & 0xC0) != 0x80) {
        // A character starts here and the string is long enough: drop from here to the quote.
        if (i > runStart) {
          next.write(bytes, runStart, i - runStart);
        }
        runStart = -1;
        dropping = true;
        escaped = b == '\\';
      } else {
        escaped = b == '\\';
        kept++;
      }
    }
    if (runStart >= 0 && end > runStart) {
      next.write(bytes, runStart, end - runStart);
    }
  }
}
