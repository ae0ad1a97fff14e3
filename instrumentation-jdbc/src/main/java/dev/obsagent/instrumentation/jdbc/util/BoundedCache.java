package dev.obsagent.instrumentation.jdbc.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A concurrent cache with a cap on entries and on their total weight (e.g. characters). When a
 * new entry would pass either cap, the cache starts over empty: the entries that matter come
 * back at their next use, and an application that builds unique keys (SQL with inlined values)
 * can never make it grow, nor pin entries from its first minutes forever.
 */
public final class BoundedCache<K, V> {

  private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
  private final AtomicLong weight = new AtomicLong();
  private final int maxEntries;
  private final long maxWeight;

  public BoundedCache(int maxEntries, long maxWeight) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
  }

  public V get(K key) {
    return entries.get(key);
  }

  /** Adds an entry of this weight; one heavier than the whole budget is not kept. */
  public void put(K key, V value, long entryWeight) {
    if (entryWeight > maxWeight) {
      return;
    }
    if (entries.size() >= maxEntries || weight.addAndGet(entryWeight) > maxWeight) {
      entries.clear();
      weight.set(entryWeight);
    }
    if (entries.putIfAbsent(key, value) != null) {
      weight.addAndGet(-entryWeight); // another thread added it meanwhile
    }
  }

  public int size() {
    return entries.size();
  }
}
