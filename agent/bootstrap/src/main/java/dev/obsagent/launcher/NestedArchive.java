package dev.obsagent.launcher;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive stored, uncompressed, as one entry of the agent jar, read in place: the agent's
 * own classes and resources ({@code inst.zip}, see agent/pom.xml).
 *
 * <p>Why not entries of the agent jar itself: the JDK keeps a jar's whole central directory on
 * the heap for as long as the jar is open, and the agent jar is open for the life of the JVM
 * (it is on the system class path). With the agent's 3,700 classes as entries of their own that
 * was over half a megabyte of names; here each entry costs 21 bytes of index, and the JVM's
 * bootstrap class path (which also indexes the jar, in native memory) sees only the launcher.
 *
 * <p>Entries are found by a 64-bit hash of their name and checked against the name in their
 * local header, so a hash collision can cost a lookup but never return the wrong entry. Reads
 * are safe from any number of threads.
 */
final class NestedArchive implements AutoCloseable {

  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  private static final int END_RECORD_SIZE = 22;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;

  private final RandomAccessFile file;
  /** Where the nested archive starts in the file: its offsets count from here. */
  private final long base;
  // The index, sorted by hash: one slot per entry.
  private final long[] hashes;
  private final int[] localHeaderOffsets;
  private final int[] compressedSizes;
  private final int[] sizes;
  private final byte[] methods;

  private NestedArchive(RandomAccessFile file, long base, int entries) {
    this.file = file;
    this.base = base;
    this.hashes = new long[entries];
    this.localHeaderOffsets = new int[entries];
    this.compressedSizes = new int[entries];
    this.sizes = new int[entries];
    this.methods = new byte[entries];
  }

  /** Opens the stored entry {@code entryName} of {@code jar} as an archive of its own. */
  static NestedArchive open(File jar, String entryName) throws IOException {
    RandomAccessFile file = new RandomAccessFile(jar, "r");
    try {
      Entry outer = findEntry(file, 0, file.length(), entryName);
      if (outer == null || outer.method != STORED || outer.compressedSize != outer.size) {
        throw new IOException(jar + " has no stored entry " + entryName);
      }
      long base = dataOffset(file, 0, outer.localHeaderOffset);
      return index(file, base, outer.size);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The entry's bytes, or null when the archive has no entry of that name. */
  byte[] read(String name) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long hash = hash(nameBytes, 0, nameBytes.length);
    for (int slot = firstSlot(hash); slot >= 0 && slot < hashes.length && hashes[slot] == hash; slot++) {
      long dataStart = dataStartIfNamed(slot, nameBytes);
      if (dataStart >= 0) {
        return readData(slot, dataStart);
      }
    }
    return null;
  }

  boolean contains(String name) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long hash = hash(nameBytes, 0, nameBytes.length);
    for (int slot = firstSlot(hash); slot >= 0 && slot < hashes.length && hashes[slot] == hash; slot++) {
      if (dataStartIfNamed(slot, nameBytes) >= 0) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return hashes.length;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  /** The first slot holding this hash, or -1. */
  private int firstSlot(long hash) {
    int slot = Arrays.binarySearch(hashes, hash);
    while (slot > 0 && hashes[slot - 1] == hash) {
      slot--;
    }
    return slot < 0 ? -1 : slot;
  }

  /**
   * Where the slot's data starts, from its local header, read with the name it holds in one
   * read; -1 when that name is another (a hash shared by two names).
   */
  private long dataStartIfNamed(int slot, byte[] name) throws IOException {
    long at = base + localHeaderOffsets[slot];
    ByteBuffer header = readFully(file, at, 30 + name.length);
    if (header.getInt(0) != LOCAL_HEADER) {
      throw new IOException("no local header at " + at);
    }
    int nameLength = Short.toUnsignedInt(header.getShort(26));
    if (nameLength != name.length || !Arrays.equals(header.array(), 30, 30 + nameLength, name, 0, nameLength)) {
      return -1;
    }
    return at + 30 + nameLength + Short.toUnsignedInt(header.getShort(28));
  }

  private byte[] readData(int slot, long start) throws IOException {
    byte[] data = readFully(file, start, compressedSizes[slot]).array();
    if (methods[slot] == STORED) {
      return data;
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data);
      byte[] bytes = new byte[sizes[slot]];
      int inflated = 0;
      while (inflated < bytes.length) {
        int n = inflater.inflate(bytes, inflated, bytes.length - inflated);
        if (n == 0 && (inflater.finished() || inflater.needsInput())) {
          throw new IOException("truncated entry at " + start);
        }
        inflated += n;
      }
      return bytes;
    } catch (DataFormatException e) {
      throw new IOException("corrupt entry at " + start, e);
    } finally {
      inflater.end();
    }
  }

  /** Reads the central directory of the archive at {@code [base, base + length)} into the index. */
  private static NestedArchive index(RandomAccessFile file, long base, long length) throws IOException {
    ByteBuffer end = endRecord(file, base, length);
    int entries = Short.toUnsignedInt(end.getShort(10));
    long directorySize = Integer.toUnsignedLong(end.getInt(12));
    long directoryOffset = Integer.toUnsignedLong(end.getInt(16));
    ByteBuffer directory = readFully(file, base + directoryOffset, (int) directorySize);
    NestedArchive archive = new NestedArchive(file, base, entries);
    Entry[] all = new Entry[entries];
    int position = 0;
    for (int i = 0; i < entries; i++) {
      Entry entry = Entry.at(directory, position);
      all[i] = entry;
      position = entry.next;
    }
    Arrays.sort(all); // by hash; no lambda, which would be premain's first
    for (int slot = 0; slot < entries; slot++) {
      Entry entry = all[slot];
      archive.hashes[slot] = entry.hash;
      archive.localHeaderOffsets[slot] = Math.toIntExact(entry.localHeaderOffset);
      archive.compressedSizes[slot] = Math.toIntExact(entry.compressedSize);
      archive.sizes[slot] = Math.toIntExact(entry.size);
      if (entry.method != STORED && entry.method != DEFLATED) {
        throw new IOException("entry compressed with method " + entry.method);
      }
      archive.methods[slot] = (byte) entry.method;
    }
    return archive;
  }

  private static Entry findEntry(RandomAccessFile file, long base, long length, String name) throws IOException {
    ByteBuffer end = endRecord(file, base, length);
    int entries = Short.toUnsignedInt(end.getShort(10));
    ByteBuffer directory =
        readFully(file, base + Integer.toUnsignedLong(end.getInt(16)), (int) Integer.toUnsignedLong(end.getInt(12)));
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    long wantedHash = hash(wanted, 0, wanted.length);
    int position = 0;
    for (int i = 0; i < entries; i++) {
      Entry entry = Entry.at(directory, position);
      if (entry.hash == wantedHash && entry.nameEquals(directory, wanted)) {
        return entry;
      }
      position = entry.next;
    }
    return null;
  }

  /** Where an entry's data starts, past its local header. */
  private static long dataOffset(RandomAccessFile file, long base, long localHeaderOffset) throws IOException {
    ByteBuffer header = readFully(file, base + localHeaderOffset, 30);
    if (header.getInt(0) != LOCAL_HEADER) {
      throw new IOException("no local header at " + localHeaderOffset);
    }
    return base + localHeaderOffset + 30 + Short.toUnsignedInt(header.getShort(26))
        + Short.toUnsignedInt(header.getShort(28));
  }

  /** The end-of-central-directory record: the last one, found from the end (a comment may follow it). */
  private static ByteBuffer endRecord(RandomAccessFile file, long base, long length) throws IOException {
    int tail = (int) Math.min(length, END_RECORD_SIZE + 0xFFFF);
    ByteBuffer buffer = readFully(file, base + length - tail, tail);
    for (int at = tail - END_RECORD_SIZE; at >= 0; at--) {
      if (buffer.getInt(at) == END_OF_CENTRAL_DIRECTORY) {
        ByteBuffer end = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        end.position(at);
        ByteBuffer record = end.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (record.getInt(12) == -1 || record.getInt(16) == -1) {
          throw new IOException("zip64 archives are not read here");
        }
        return record;
      }
    }
    throw new IOException("not a zip archive");
  }

  /**
   * Reads through {@link RandomAccessFile}, not a {@code FileChannel}: a channel reading into a
   * heap buffer goes through a temporary direct buffer that the JDK then keeps cached for the
   * thread, here the size of the largest read (the central directory) for the life of the JVM.
   */
  private static ByteBuffer readFully(RandomAccessFile file, long position, int length) throws IOException {
    byte[] bytes = new byte[length];
    synchronized (file) {
      file.seek(position);
      file.readFully(bytes);
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** FNV-1a, 64 bits, over the name's UTF-8 bytes. */
  static long hash(byte[] bytes, int offset, int length) {
    long hash = 0xcbf29ce484222325L;
    for (int i = offset; i < offset + length; i++) {
      hash ^= bytes[i] & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** One central directory record, ordered by the hash of its name. */
  private static final class Entry implements Comparable<Entry> {
    final int method;
    final long compressedSize;
    final long size;
    final long localHeaderOffset;
    final int nameOffset;
    final int nameLength;
    final long hash;
    final int next;

    private Entry(ByteBuffer directory, int at) throws IOException {
      if (directory.getInt(at) != CENTRAL_HEADER) {
        throw new IOException("no central directory record at " + at);
      }
      method = Short.toUnsignedInt(directory.getShort(at + 10));
      compressedSize = Integer.toUnsignedLong(directory.getInt(at + 20));
      size = Integer.toUnsignedLong(directory.getInt(at + 24));
      nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
      localHeaderOffset = Integer.toUnsignedLong(directory.getInt(at + 42));
      nameOffset = at + 46;
      hash = hash(directory.array(), nameOffset, nameLength);
      next = nameOffset + nameLength + extraLength + commentLength;
    }

    static Entry at(ByteBuffer directory, int at) throws IOException {
      return new Entry(directory, at);
    }

    @Override
    public int compareTo(Entry other) {
      return Long.compare(hash, other.hash);
    }

    boolean nameEquals(ByteBuffer directory, byte[] name) {
      return nameLength == name.length
          && Arrays.equals(directory.array(), nameOffset, nameOffset + nameLength, name, 0, name.length);
    }
  }
}
