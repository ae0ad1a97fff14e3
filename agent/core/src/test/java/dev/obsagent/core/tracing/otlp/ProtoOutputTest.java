package dev.obsagent.core.tracing.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The writer against protobuf-java's own encoder and decoder. */
class ProtoOutputTest {

  @Test
  void nestedMessagesOfEveryLengthPrefixSizeReadBack() throws IOException {
    // Lengths at each edge of a one-, two-, three- and four-byte varint.
    for (int length : new int[] {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152}) {
      ProtoOutput out = new ProtoOutput(16);
      out.writeVarintField(1, 7);
      int outer = out.beginMessage(2);
      int inner = out.beginMessage(3);
      byte[] payload = new byte[length];
      Arrays.fill(payload, (byte) 'x');
      if (length > 0) {
        out.writeBytes(4, payload, 0, length);
      }
      out.endMessage(inner);
      out.writeFixed32Field(5, 0x301);
      out.endMessage(outer);
      out.writeFixed64Field(6, -1L);

      assertArrayEquals(reference(payload), out.toByteArray(), "payload of " + length + " bytes");
    }
  }

  /** The same message written by protobuf-java, which sizes each message before writing it. */
  private static byte[] reference(byte[] payload) throws IOException {
    ByteArrayOutputStream innerBytes = new ByteArrayOutputStream();
    CodedOutputStream inner = CodedOutputStream.newInstance(innerBytes);
    if (payload.length > 0) {
      inner.writeByteArray(4, payload);
    }
    inner.flush();
    ByteArrayOutputStream outerBytes = new ByteArrayOutputStream();
    CodedOutputStream outer = CodedOutputStream.newInstance(outerBytes);
    outer.writeByteArray(3, innerBytes.toByteArray());
    outer.writeFixed32(5, 0x301);
    outer.flush();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    CodedOutputStream message = CodedOutputStream.newInstance(all);
    message.writeUInt64(1, 7);
    message.writeByteArray(2, outerBytes.toByteArray());
    message.writeFixed64(6, -1L);
    message.flush();
    return all.toByteArray();
  }

  @Test
  void stringsAreUtf8AsJavaEncodesThem() throws IOException {
    String[] values = {"", "GET /owners/{ownerId}", "caf\u00e9", "\u6771\u4eac", "\uD83D\uDE00 smile", "lone \uD800 high",
        "lone \uDC00 low", "at the end \uD83D"};
    for (String value : values) {
      ProtoOutput out = new ProtoOutput(1);
      out.writeString(1, value);
      CodedInputStream in = CodedInputStream.newInstance(out.toByteArray());
      assertEquals((1 << 3) | 2, in.readTag());
      assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), in.readByteArray(), value);
      assertTrue(in.isAtEnd());
    }
  }

  @Test
  void hexIdsAreWrittenAsTheBytesTheySpell() throws IOException {
    ProtoOutput out = new ProtoOutput(1);
    out.writeHexId(1, "0af7651916cd43dd8448eb211c80319c");
    out.writeHexId(2, "B7AD6B7169203331");
    CodedInputStream in = CodedInputStream.newInstance(out.toByteArray());
    in.readTag();
    assertArrayEquals(bytes(0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c),
        in.readByteArray());
    in.readTag();
    assertArrayEquals(bytes(0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31), in.readByteArray());
  }

  @Test
  void numbersReadBackAsWritten() throws IOException {
    ProtoOutput out = new ProtoOutput(1);
    out.writeVarintField(1, -42L);
    out.writeVarintField(2, Long.MAX_VALUE);
    out.writeBoolField(3, true);
    out.writeDoubleField(4, -0.25);
    out.writeFixed64Field(5, 1_700_000_000_123_456_789L);
    CodedInputStream in = CodedInputStream.newInstance(out.toByteArray());
    in.readTag();
    assertEquals(-42L, in.readInt64());
    in.readTag();
    assertEquals(Long.MAX_VALUE, in.readInt64());
    in.readTag();
    assertTrue(in.readBool());
    in.readTag();
    assertEquals(-0.25, in.readDouble());
    in.readTag();
    assertEquals(1_700_000_000_123_456_789L, in.readFixed64());
    assertTrue(in.isAtEnd());
  }

  @Test
  void resetKeepsTheArrayAndStartsOver() {
    ProtoOutput out = new ProtoOutput(1);
    out.writeString(1, "x".repeat(1000));
    int capacity = out.capacity();
    out.reset();
    out.writeVarintField(1, 1);
    assertEquals(2, out.size());
    assertEquals(capacity, out.capacity());
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
