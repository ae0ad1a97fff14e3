package dev.obsagent.core.tracing.otlp;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A protocol-buffers writer into one growable byte array, in a single pass.
 *
 * <p>A nested message is preceded by its length, which is known only once the message is
 * written. {@link #beginMessage} leaves one byte for it, enough for the many small messages (an
 * attribute, a status); {@link #endMessage} shifts a longer message right by the few bytes its
 * length needs. That is one copy of each large message (a span, a batch) instead of a second
 * pass over every field to size it first, and the output stays the canonical encoding.
 *
 * <p>Every writer writes what it is given. Leaving out fields that hold their type's default
 * value (0, an empty string), as proto3 does, is the caller's choice: a field of a {@code oneof}
 * must be written even then.
 */
public final class ProtoOutput {

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH_DELIMITED = 2;
  private static final int WIRE_FIXED32 = 5;
  private static final byte[] HEX_VALUES = hexValues();

  private byte[] bytes;
  private int size;

  public ProtoOutput(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  /** The bytes allocated, written or not: what keeping this output costs. */
  public int capacity() {
    return bytes.length;
  }

  /** Empties the output and keeps its array. */
  public void reset() {
    size = 0;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** Starts a nested message; returns the mark that {@link #endMessage} takes. */
  public int beginMessage(int field) {
    writeTag(field, WIRE_LENGTH_DELIMITED);
    ensureRoom(1);
    return size++; // the length's first byte
  }

  public void endMessage(int mark) {
    int length = size - mark - 1;
    int lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      ensureRoom(lengthBytes - 1);
      System.arraycopy(bytes, mark + 1, bytes, mark + lengthBytes, length);
      size += lengthBytes - 1;
    }
    putVarint(mark, length);
  }

  public void writeString(int field, String value) {
    writeTag(field, WIRE_LENGTH_DELIMITED);
    int length = value.length();
    int start = size;
    // Most strings here are ASCII (names, routes, hosts), whose UTF-8 is one byte a char: one pass
    // copies them, and gives up for the slower path at the first char that is not.
    writeVarint(length);
    ensureRoom(length);
    byte[] out = bytes;
    int position = size;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        size = start;
        writeUtf8String(value);
        return;
      }
      out[position++] = (byte) c;
    }
    size = position;
  }

  private void writeUtf8String(String value) {
    int utf8Length = utf8Length(value);
    writeVarint(utf8Length);
    ensureRoom(utf8Length);
    writeUtf8(value);
  }

  public void writeBytes(int field, byte[] value, int offset, int length) {
    writeTag(field, WIRE_LENGTH_DELIMITED);
    writeVarint(length);
    ensureRoom(length);
    System.arraycopy(value, offset, bytes, size, length);
    size += length;
  }

  /**
   * Writes a lower-case hex id (a trace or span id as the SDK holds it) as the bytes it spells,
   * without a byte array in between.
   */
  public void writeHexId(int field, String hex) {
    int length = hex.length() / 2;
    writeTag(field, WIRE_LENGTH_DELIMITED);
    writeVarint(length);
    ensureRoom(length);
    byte[] out = bytes;
    int position = size;
    for (int i = 0; i < length; i++) {
      out[position++] = (byte) (HEX_VALUES[hex.charAt(2 * i) & 0x7f] << 4 | HEX_VALUES[hex.charAt(2 * i + 1) & 0x7f]);
    }
    size = position;
  }

  public void writeVarintField(int field, long value) {
    writeTag(field, WIRE_VARINT);
    writeVarint(value);
  }

  public void writeBoolField(int field, boolean value) {
    writeVarintField(field, value ? 1 : 0);
  }

  public void writeFixed64Field(int field, long value) {
    writeTag(field, WIRE_FIXED64);
    ensureRoom(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  public void writeDoubleField(int field, double value) {
    writeFixed64Field(field, Double.doubleToRawLongBits(value));
  }

  public void writeFixed32Field(int field, int value) {
    writeTag(field, WIRE_FIXED32);
    ensureRoom(4);
    for (int i = 0; i < 4; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  private void writeTag(int field, int wireType) {
    writeVarint(((long) field << 3) | wireType);
  }

  private void writeVarint(long value) {
    ensureRoom(10);
    while ((value & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
  }

  /** Writes a varint at {@code position}, over bytes already made room for. */
  private void putVarint(int position, int value) {
    while ((value & ~0x7F) != 0) {
      bytes[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[position] = (byte) value;
  }

  static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** UTF-8 length; a lone surrogate counts as the one byte '?' that {@link #writeUtf8} writes for it. */
  private static int utf8Length(String value) {
    int length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        length++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  private void writeUtf8(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes[size++] = (byte) c;
      } else if (c < 0x800) {
        bytes[size++] = (byte) (0xC0 | c >> 6);
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, value.charAt(++i));
        bytes[size++] = (byte) (0xF0 | codePoint >> 18);
        bytes[size++] = (byte) (0x80 | (codePoint >> 12 & 0x3F));
        bytes[size++] = (byte) (0x80 | (codePoint >> 6 & 0x3F));
        bytes[size++] = (byte) (0x80 | (codePoint & 0x3F));
      } else if (Character.isSurrogate(c)) {
        bytes[size++] = '?'; // as String.getBytes(UTF_8) writes a lone surrogate
      } else {
        bytes[size++] = (byte) (0xE0 | c >> 12);
        bytes[size++] = (byte) (0x80 | (c >> 6 & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  private void ensureRoom(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }
  }

  private static byte[] hexValues() {
    byte[] values = new byte[128];
    for (int i = 0; i < 10; i++) {
      values['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      values['a' + i] = (byte) (10 + i);
      values['A' + i] = (byte) (10 + i);
    }
    return values;
  }
}
