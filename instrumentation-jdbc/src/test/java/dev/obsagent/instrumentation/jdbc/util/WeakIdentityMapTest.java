package dev.obsagent.instrumentation.jdbc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  /** Equal to every other instance: the map must still tell them apart. */
  static final class EqualToAll {
    @Override
    public boolean equals(Object other) {
      return other instanceof EqualToAll;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void keysAreComparedByIdentityNotEquals() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    EqualToAll first = new EqualToAll();
    EqualToAll second = new EqualToAll();
    map.put(first, "first");
    assertEquals("first", map.get(first));
    assertNull(map.get(second));
    map.put(second, "second");
    assertEquals("first", map.get(first));
    assertEquals("second", map.get(second));
    assertEquals("first", map.remove(first));
    assertNull(map.get(first));
  }

  @Test
  void collectedKeysAreDropped() throws InterruptedException {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object key = new Object();
    WeakReference<Object> probe = new WeakReference<>(key);
    map.put(key, "value");
    assertEquals(1, map.size());
    key = null;
    for (int i = 0; i < 100 && (probe.get() != null || map.size() > 0); i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(probe.get(), "the map does not keep its key alive");
    assertEquals(0, map.size());
  }
}
