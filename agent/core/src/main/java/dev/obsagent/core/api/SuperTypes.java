package dev.obsagent.core.api;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Type matchers by the names of a type's superclasses and interfaces, made for the hot path of
 * class loading, where they run for every class the application loads.
 *
 * <p>Byte Buddy's {@code hasSuperType} walks (and parses) the whole hierarchy again for every
 * class and every matcher. Here each type name that some matcher looks for gets one bit, and the
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

  /**
   * The class loader whose class is being matched on this thread (or {@link #BOOTSTRAP}), held
   * only from {@link #matchingIn} to {@link #doneMatching}; none outside a transformation.
   */
  private static final ThreadLocal<Object> CURRENT_LOADER = new ThreadLocal<>();

  private SuperTypes() {}

  /** A class (not an interface) that extends or implements the named type, or is it. */
  public static ElementMatcher.Junction<TypeDescription> classExtending(String typeName) {
    long bit = bitOf(typeName);
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription type) {
        return !type.isInterface() && (mask(type) & bit) != 0;
      }

      @Override
      public String toString() {
        return "classExtending(" + typeName + ")";
      }
    };
  }

  /**
   * Masks are remembered for this class loader's types until {@link #doneMatching}. Called by the
   * installer before a class is matched; without it nothing is remembered (tests).
   */
  public static void matchingIn(ClassLoader loader) {
    CURRENT_LOADER.set(loader == null ? BOOTSTRAP : loader);
  }

  /** Ends {@link #matchingIn}; the thread keeps no reference to the class loader. */
  public static void doneMatching() {
    CURRENT_LOADER.remove();
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
   * Whether the class in a class file, about to be defined by a loader, is a class (not an
   * interface) that extends or implements a type some {@link #classExtending} matcher names. The
   * installer asks this before Byte Buddy describes a class: it reads only the class file's
   * header, and each supertype's header once per loader (see {@link ClassFileLookup}), where
   * a Byte Buddy description parses every method. The masks found are remembered for the matchers.
   *
   * @param internalName the class's name as the JVM passes it to a transformer ({@code a/b/C})
   */
  public static boolean mayExtendMatchedType(ClassLoader loader, String internalName, byte[] classFile) {
    if (BITS.isEmpty()) {
      return false;
    }
    KnownMasks known = masksOf(loader == null ? BOOTSTRAP : loader);
    long hash = KnownMasks.hash(internalName);
    long mask = known.get(hash);
    if (mask == 0) {
      // Read already as another class's supertype, just before the JVM loads it: no parse.
      return false;
    }
    ClassReader header = new ClassReader(classFile);
    if ((header.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
      return false;
    }
    if (mask < 0) {
      mask = maskOfHeader(loader, hash, header, known, 0);
    }
    return mask != 0;
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

  /** The bits of every matched name that the type is or extends. */
  static long mask(TypeDescription type) {
    Object loader = CURRENT_LOADER.get();
    return maskOf(type, loader == null ? new KnownMasks() : masksOf(loader), 0);
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

  private static long maskOf(TypeDescription type, KnownMasks known, int depth) {
    // The name of a supertype is known without parsing it: only unknown ones are resolved.
    String name = type.getName();
    long mask = known.get(name);
    if (mask >= 0) {
      return mask;
    }
    mask = BITS.getOrDefault(name, 0L);
    if (depth < MAX_DEPTH) {
      try {
        TypeDescription.Generic superClass = type.getSuperClass();
        if (superClass != null) {
          mask |= maskOf(superClass.asErasure(), known, depth + 1);
        }
      } catch (RuntimeException unresolvable) {
        // The superclass is missing from the class path: the rest still counts.
      }
      try {
        for (TypeDefinition anInterface : type.getInterfaces().asErasures()) {
          mask |= maskOf(anInterface.asErasure(), known, depth + 1);
        }
      } catch (RuntimeException unresolvable) {
        // An interface is missing from the class path: the rest still counts.
      }
    }
    known.put(name, mask);
    return mask;
  }
}
