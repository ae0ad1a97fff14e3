package dev.obsagent.instrumentation.jdbc.util;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from objects, compared by identity and held weakly, to values: what the agent
 * knows about application objects (a statement's SQL, a connection's URL) without keeping the
 * objects, their classes or their class loaders alive. Values must not refer to their key.
 *
 * <p>Reads never block and allocate nothing: they look up through a lookup key kept per thread
 * (a JDBC execution reads these maps several times); entries whose key was collected are purged
 * on the next write. {@code equals} and {@code hashCode} of the keys are never called:
 * wrappers and proxies may define them oddly, and identity is what ties SQL to a statement.
 */
public final class WeakIdentityMap<K, V> {

  private static final ThreadLocal<Lookup> LOOKUPS = ThreadLocal.withInitial(Lookup::new);

  private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<>();

  public V get(K key) {
    Lookup lookup = LOOKUPS.get();
    lookup.referent = key;
    try {
      return entries.get(lookup);
    } finally {
      lookup.referent = null; // keeps no application object past the call
    }
  }

  public void put(K key, V value) {
    purgeCollected();
    entries.put(new WeakKey<>(key, collected), value);
  }

  public V remove(K key) {
    Lookup lookup = new Lookup();
    lookup.referent = key;
    return entries.remove(lookup);
  }

  /** Entries not yet purged; for tests. */
  public int size() {
    purgeCollected();
    return entries.size();
  }

  private void purgeCollected() {
    Reference<? extends K> gone;
    while ((gone = collected.poll()) != null) {
      entries.remove(gone);
    }
  }

  /** Identity of the referent, shared by both key kinds so that they find each other. */
  private interface IdentityKey {
    Object referent();
  }

  private static final class WeakKey<K> extends WeakReference<K> implements IdentityKey {
    private final int hash;

    WeakKey(K key, ReferenceQueue<K> queue) {
      super(key, queue);
      this.hash = System.identityHashCode(key);
    }

    @Override
    public Object referent() {
      return get();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true; // also how a collected key finds its own entry to be purged
      }
      Object referent = get();
      return referent != null && other instanceof IdentityKey && ((IdentityKey) other).referent() == referent;
    }
  }

  /** A strong key for reads only: never stored in the map. */
  private static final class Lookup implements IdentityKey {
    private Object referent;

    @Override
    public Object referent() {
      return referent;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof IdentityKey && ((IdentityKey) other).referent() == referent;
    }
  }
}
