package dev.obsagent.instrumentation.llm.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LongStringFilterTest {

  private static String filter(String json, int chunk) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LongStringFilter filter = new LongStringFilter((bytes, offset, length) -> out.write(bytes, offset, length));
    byte[] in = json.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < in.length; at += chunk) {
      filter.write(in, at, Math.min(chunk, in.length - at));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shortStringsPassUntouched() throws Exception {
    String json = "{\"model\":\"gpt-4o\",\"text\":\"a \\\"quoted\\\" \\\\ \\u00e9 caf\u00e9\"}";
    assertEquals(json, filter(json, 1));
    assertEquals(json, filter(json, 1000));
  }

  @Test
  void longStringsAreCutAtTheLimitAndStayValid() throws Exception {
    String longText = "x".repeat(LongStringFilter.KEEP) + "TAIL \\\" still inside \\u0041";
    String json = "{\"content\":\"" + longText + "\",\"model\":\"m\"}";
    String expected = "{\"content\":\"" + "x".repeat(LongStringFilter.KEEP) + "\",\"model\":\"m\"}";
    for (int chunk : new int[] {1, 3, 7, 64, 10_000}) {
      assertEquals(expected, filter(json, chunk), "chunk " + chunk);
    }
  }

  @Test
  void neverCutsInsideAnEscapeOrAMultiByteCharacter() throws Exception {
    // Fill to one short of the limit, then an escape and a 3-byte character straddle it.
    String head = "y".repeat(LongStringFilter.KEEP - 1);
    String json = "[\"" + head + "\\u00e9\u20ac\u20ac" + "\"]";
    String out = filter(json, 5);
    assertEquals("[\"" + head + "\\u00e9\"]", out);
    String json2 = "[\"" + head + "\u20acz\"]";
    assertEquals("[\"" + head + "\u20ac\"]", filter(json2, 2));
  }
}
