package dev.obsagent.instrumentation.jdbc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  @Test
  void startsOverWhenFullOfEntries() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(3, 1_000);
    cache.put("a", 1, 1);
    cache.put("b", 2, 1);
    cache.put("c", 3, 1);
    assertEquals(3, cache.size());
    cache.put("d", 4, 1);
    assertEquals(1, cache.size());
    assertEquals(4, cache.get("d"));
    assertNull(cache.get("a"));
  }

  @Test
  void startsOverWhenPastTheWeightAndNeverKeepsAnEntryHeavierThanIt() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(100, 10);
    cache.put("a", 1, 6);
    cache.put("b", 2, 6);
    assertNull(cache.get("a"));
    assertEquals(2, cache.get("b"));
    cache.put("huge", 3, 11);
    assertNull(cache.get("huge"));
    assertEquals(2, cache.get("b"));
  }
}
