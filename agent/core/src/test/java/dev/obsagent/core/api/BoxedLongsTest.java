package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class BoxedLongsTest {

  @Test
  void aValueSeenBeforeComesBackAsTheSameBox() {
    for (long value : new long[] {200, 404, 500, 8080, 5432, 6379, 65535}) {
      Long first = BoxedLongs.of(value);
      assertEquals(value, first.longValue());
      assertSame(first, BoxedLongs.of(value));
    }
  }

  @Test
  void valuesSharingASlotEachKeepTheirOwnValue() {
    // 8080 and 912 share a slot (their low ten bits are equal), as do -1 and Long.MAX_VALUE.
    for (int i = 0; i < 3; i++) {
      assertEquals(8080L, BoxedLongs.of(8080).longValue());
      assertEquals(912L, BoxedLongs.of(912).longValue());
      assertEquals(-1L, BoxedLongs.of(-1).longValue());
      assertEquals(Long.MAX_VALUE, BoxedLongs.of(Long.MAX_VALUE).longValue());
    }
  }
}
