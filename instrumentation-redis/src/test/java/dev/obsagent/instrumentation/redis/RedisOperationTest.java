package dev.obsagent.instrumentation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RedisOperationTest {

  private final RedisOperation set = new RedisOperation("SET", null);

  @Test
  void everyArgumentIsAQuestionMark() {
    assertEquals("SET", set.queryText(0));
    assertEquals("SET ? ?", set.queryText(2));
    assertEquals("SET ? ? ? ? ?", set.queryText(5));
  }

  @Test
  void commonArgumentCountsAreBuiltOnce() {
    assertSame(set.queryText(3), set.queryText(3));
  }

  @Test
  void longCommandsAreBuiltEachTime() {
    String text = set.queryText(40);
    assertEquals("SET".length() + 2 * 40, text.length());
    assertEquals(text, set.queryText(40));
  }

  @Test
  void batchesHaveNoQueryText() {
    assertNull(set.queryText(-1));
  }
}
