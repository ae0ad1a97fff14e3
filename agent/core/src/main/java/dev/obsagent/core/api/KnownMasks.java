package dev.obsagent.core.api;

import java.util.Arrays;

/**
 * Supertype masks of one class loader's types, by type name (see {@link SuperTypes}). It holds an
 * entry for every class the application loads, so it is kept small: a 64-bit hash of the name
 * and the mask, 16 bytes a type in two open-addressed arrays, and no reference to the names or
 * the loader. Two names with the same 64-bit hash among a few thousand are far less likely than
 * a bit flip in memory.
 */
final class KnownMasks {

  private static final long EMPTY = 0L;

  private long[] hashes = new long[256];
  private long[] masks = new long[256];
  private int size;
  private int namesCovered;

  /** The remembered mask of the type whose name has this {@link #hash}, or -1 when not seen yet. */
  synchronized long get(long hash) {
    for (int slot = slot(hash, hashes.length); ; slot = (slot + 1) & (hashes.length - 1)) {
      if (hashes[slot] == hash) {
        return masks[slot];
      }
      if (hashes[slot] == EMPTY) {
        return -1L;
      }
    }
  }

  synchronized void put(long hash, long mask) {
    if (2 * (size + 1) > hashes.length) {
      grow();
    }
    if (insert(hashes, masks, hash, mask)) {
      size++;
    }
  }

  /** Forgets every mask when they were computed before some of today's matched names existed. */
  synchronized void forgetUnless(int matchedNames) {
    if (namesCovered != matchedNames) {
      Arrays.fill(hashes, EMPTY);
      size = 0;
      namesCovered = matchedNames;
    }
  }

  synchronized int size() {
    return size;
  }

  private void grow() {
    long[] oldHashes = hashes;
    long[] oldMasks = masks;
    hashes = new long[oldHashes.length * 2];
    masks = new long[oldHashes.length * 2];
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldHashes[i] != EMPTY) {
        insert(hashes, masks, oldHashes[i], oldMasks[i]);
      }
    }
  }

  /** @return whether the hash was new */
  private static boolean insert(long[] hashes, long[] masks, long hash, long mask) {
    for (int slot = slot(hash, hashes.length); ; slot = (slot + 1) & (hashes.length - 1)) {
      if (hashes[slot] == EMPTY || hashes[slot] == hash) {
        boolean added = hashes[slot] == EMPTY;
        hashes[slot] = hash;
        masks[slot] = mask;
        return added;
      }
    }
  }

  private static int slot(long hash, int length) {
    return (int) (hash ^ (hash >>> 32)) & (length - 1);
  }

  /**
   * 64-bit FNV-1a over the name's characters, never {@link #EMPTY}. A class file's internal name
   * ({@code java/util/List}) hashes as its binary name ({@code java.util.List}).
   */
  static long hash(String name) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      hash ^= c == '/' ? '.' : c;
      hash *= 0x100000001b3L;
    }
    return hash == EMPTY ? 1L : hash;
  }
}
