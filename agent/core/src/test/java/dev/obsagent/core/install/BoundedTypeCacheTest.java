package dev.obsagent.core.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class BoundedTypeCacheTest {

  private static TypePool.Resolution resolution() {
    return new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class));
  }

  @Test
  void keepsTheMostRecentlyUsedTypesUpToItsBound() {
    BoundedTypeCache cache = new BoundedTypeCache();
    cache.register("type0", resolution());
    for (int i = 1; i <= BoundedTypeCache.MAX_TYPES + 50; i++) {
      cache.register("type" + i, resolution());
      assertNotNull(cache.find("type0"), "type0 is used all the time: it stays");
    }
    assertEquals(BoundedTypeCache.MAX_TYPES, cache.size());
    assertNull(cache.find("type1"), "the least recently used went first");
    assertNotNull(cache.find("type" + (BoundedTypeCache.MAX_TYPES + 50)));
  }

  @Test
  void aRaceToRegisterKeepsTheFirst() {
    BoundedTypeCache cache = new BoundedTypeCache();
    TypePool.Resolution first = resolution();
    assertSame(first, cache.register("t", first));
    assertSame(first, cache.register("t", resolution()));
  }
}
