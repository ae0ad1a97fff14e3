package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KnownMasksTest {

  @Test
  void remembersEveryMaskThroughGrowth() {
    KnownMasks masks = new KnownMasks();
    masks.forgetUnless(3);
    for (int i = 0; i < 10_000; i++) {
      masks.put(KnownMasks.hash("com.example.Type" + i), i % 8);
    }
    assertEquals(10_000, masks.size());
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i % 8, masks.get(KnownMasks.hash("com.example.Type" + i)), "Type" + i);
    }
    assertEquals(-1L, masks.get(KnownMasks.hash("com.example.Unknown")));
  }

  @Test
  void aSecondPutOfOneNameReplacesItsMask() {
    KnownMasks masks = new KnownMasks();
    masks.put(KnownMasks.hash("a.B"), 1);
    masks.put(KnownMasks.hash("a.B"), 4);
    assertEquals(1, masks.size());
    assertEquals(4, masks.get(KnownMasks.hash("a.B")));
  }

  @Test
  void forgetsEverythingWhenTheMatchedNamesChange() {
    KnownMasks masks = new KnownMasks();
    masks.forgetUnless(2);
    masks.put(KnownMasks.hash("a.B"), 1);
    masks.forgetUnless(2);
    assertEquals(1, masks.get(KnownMasks.hash("a.B")));
    masks.forgetUnless(3);
    assertEquals(-1L, masks.get(KnownMasks.hash("a.B")));
    assertEquals(0, masks.size());
  }
}
