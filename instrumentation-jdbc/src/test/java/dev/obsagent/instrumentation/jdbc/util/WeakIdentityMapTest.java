package dev.obsagent.instrumentation.jdbc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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

  /** Every JDBC execution reads these maps: a read allocates nothing. */
  @Test
  void readsAllocateNothing() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object present = new Object();
    Object absent = new Object();
    map.put(present, "value");
    map.get(present);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      map.get(present);
      map.get(absent);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 10_000, "200,000 reads allocated " + allocated + " bytes");
  }

  @Test
  void aKeyReadOnceIsStillCollected() throws InterruptedException {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object key = new Object();
    WeakReference<Object> probe = new WeakReference<>(key);
    map.put(key, "value");
    assertEquals("value", map.get(key));
    key = null;
    for (int i = 0; i < 100 && probe.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(probe.get(), "the read left no reference to its key behind");
  }
}
