package dev.obsagent.core.install;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * A type-pool cache per class loader, held weakly so that an undeployed web application's loader
 * (and every type description cached for it) can be collected, and bounded in size (see
 * {@link BoundedTypeCache}).
 */
final class WeakTypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {

  private final Map<ClassLoader, TypePool.CacheProvider> caches =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final TypePool.CacheProvider bootstrapCache = new BoundedTypeCache();

  WeakTypePoolCache() {
    super(TypePool.Default.ReaderMode.FAST);
  }

  @Override
  protected TypePool.CacheProvider locate(ClassLoader loader) {
    if (loader == null) {
      return bootstrapCache;
    }
    return caches.computeIfAbsent(loader, ignored -> new BoundedTypeCache());
  }
}
