package dev.obsagent.core.api;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Matching by the names of a type's superclasses and interfaces, made for the hot path of class
 * loading, where it runs for every class the application loads.
 *
 * <p>Walking (and parsing) the whole hierarchy again for every class and every matched name would
 * cost every class load. Here each type name that some instrumentation looks for gets one bit, and the
 * bits a type extends (its "mask") are remembered per class loader by type name: a class's mask
 * is its own bit or'ed with the remembered masks of its direct supertypes, so every supertype is
 * parsed once per loader however many classes extend it. A supertype the class path lacks is
 * skipped instead of failing the match.
 */
public final class SuperTypes {

  /** Bit 63 stays free: a negative value means "not known yet" in {@link KnownMasks}. */
  private static final int MAX_MATCHED_NAMES = 63;

  /** Deeper than any real hierarchy; guards against a malformed, circular one. */
  private static final int MAX_DEPTH = 200;

  private static final Map<String, Long> BITS = new ConcurrentHashMap<>();
  private static final Map<Long, Long> BITS_BY_HASH = new ConcurrentHashMap<>();

  private static final Map<ClassLoader, KnownMasks> MASKS_BY_LOADER = Collections.synchronizedMap(new WeakHashMap<>());
  private static final KnownMasks BOOTSTRAP_MASKS = new KnownMasks();
  private static final Object BOOTSTRAP = new Object();

  private SuperTypes() {}

  /**
   * Makes the classes that extend or implement the named type tell themselves apart in {@link
   * #matchedMask}.
   *
   * @return the type's bit in those masks
   */
  public static long register(String typeName) {
    return bitOf(typeName);
  }

  private static synchronized long bitOf(String typeName) {
    Long known = BITS.get(typeName);
    if (known != null) {
      return known;
    }
    if (BITS.size() == MAX_MATCHED_NAMES) {
      throw new IllegalStateException("at most " + MAX_MATCHED_NAMES + " supertype names can be matched");
    }
    long bit = 1L << BITS.size();
    BITS_BY_HASH.put(KnownMasks.hash(typeName), bit);
    BITS.put(typeName, bit);
    return bit;
  }

  /**
   * The bits of every {@link #register registered} name that the class in a class file, about to
   * be defined by a loader, extends or implements (or is); 0 for an interface, which is never
   * matched by supertype. It reads only the class file's header, and each supertype's header once
   * per loader (see {@link ClassFileLookup}); the masks found are remembered per loader.
   *
   * @param internalName the class's name as the JVM passes it to a transformer ({@code a/b/C})
   */
  public static long matchedMask(ClassLoader loader, String internalName, byte[] classFile) {
    if (BITS.isEmpty()) {
      return 0;
    }
    KnownMasks known = masksOf(loader == null ? BOOTSTRAP : loader);
    long hash = KnownMasks.hash(internalName);
    long mask = known.get(hash);
    if (mask == 0) {
      // Read already as another class's supertype, just before the JVM loads it: no parse.
      return 0;
    }
    ClassReader header = new ClassReader(classFile);
    if ((header.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
      return 0;
    }
    if (mask < 0) {
      mask = maskOfHeader(loader, hash, header, known, 0);
    }
    return mask;
  }

  private static long maskOfHeader(ClassLoader loader, long hash, ClassReader header, KnownMasks known, int depth) {
    long mask = BITS_BY_HASH.getOrDefault(hash, 0L);
    if (depth < MAX_DEPTH) {
      String superName = header.getSuperName();
      if (superName != null) {
        mask |= maskOfNamed(loader, superName, known, depth + 1);
      }
      for (String anInterface : header.getInterfaces()) {
        mask |= maskOfNamed(loader, anInterface, known, depth + 1);
      }
    }
    known.put(hash, mask);
    return mask;
  }

  private static long maskOfNamed(ClassLoader loader, String internalName, KnownMasks known, int depth) {
    long hash = KnownMasks.hash(internalName);
    long mask = known.get(hash);
    if (mask >= 0) {
      return mask;
    }
    if (internalName.startsWith("java/")) {
      return maskOfJdkType(loader, internalName, hash, known, depth);
    }
    byte[] classFile = ClassFileLookup.read(loader, internalName);
    if (classFile == null) {
      // Missing from the class path: what the other supertypes add still counts.
      mask = BITS_BY_HASH.getOrDefault(hash, 0L);
      known.put(hash, mask);
      return mask;
    }
    return maskOfHeader(loader, hash, new ClassReader(classFile), known, depth);
  }

  /**
   * A {@code java.*} supertype is read from its {@code Class}, not its class file: the JVM loads
   * it anyway before the subclass, mostly from its shared archive, where reading the class file
   * would page in the JDK's module image for nothing. The agent never transforms {@code java.*}.
   */
  private static long maskOfJdkType(ClassLoader loader, String internalName, long hash, KnownMasks known, int depth) {
    long mask = BITS_BY_HASH.getOrDefault(hash, 0L);
    try {
      Class<?> type = Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      if (depth < MAX_DEPTH) {
        if (type.getSuperclass() != null) {
          mask |= maskOfNamed(loader, internalNameOf(type.getSuperclass()), known, depth + 1);
        }
        for (Class<?> anInterface : type.getInterfaces()) {
          mask |= maskOfNamed(loader, internalNameOf(anInterface), known, depth + 1);
        }
      }
    } catch (ClassNotFoundException | LinkageError missing) {
      // Not in this JDK: what the other supertypes add still counts.
    }
    known.put(hash, mask);
    return mask;
  }

  private static String internalNameOf(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  /** @param loader a class loader or {@link #BOOTSTRAP} */
  private static KnownMasks masksOf(Object loader) {
    KnownMasks masks =
        loader == BOOTSTRAP
            ? BOOTSTRAP_MASKS
            : MASKS_BY_LOADER.computeIfAbsent((ClassLoader) loader, ignored -> new KnownMasks());
    // A name registered after masks were remembered would be missing from them.
    masks.forgetUnless(BITS.size());
    return masks;
  }
}
