package dev.obsagent.core.install;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.AsmClassReader;

/**
 * The type pools matching reads types through: one long-lived pool per class loader, whose
 * descriptions are cached (bounded, see {@link BoundedTypeCache}), held weakly so that an
 * undeployed web application's loader (and every type description cached for it) can be
 * collected.
 *
 * <p>Byte Buddy's own {@code PoolStrategy.WithTypePoolCache} builds a new pool for every class it
 * transforms, and every description that pool parses (a supertype, say) keeps it: its class file
 * locator holds the bytes of the class being transformed, and its cache the description of that
 * class. The shared cache then kept some 200 transformations alive per loader. Here the shared
 * descriptions are read by the loader's own pool, which holds nothing but the cache and a weak
 * locator; only the type being transformed is read from the bytes at hand, by a short-lived pool
 * that takes every other type from the loader's pool.
 *
 * <p>Descriptions are extended-lazy: name, modifiers, superclass and interfaces come from the class
 * file's header, and the rest (methods, fields, annotations) is parsed only when asked for. Type
 * matching needs no more than the header (names and supertypes), so most classes an application
 * loads are never parsed in full: about half of the agent's allocation during the demo app's
 * start-up was Byte Buddy parsing methods nobody looked at.
 */
final class WeakTypePoolCache implements AgentBuilder.PoolStrategy {

  private static final TypePool.Default.ReaderMode READER_MODE = TypePool.Default.ReaderMode.FAST;
  private static final TypePool.Default.WithLazyResolution.LazinessMode LAZINESS =
      TypePool.Default.WithLazyResolution.LazinessMode.EXTENDED;

  private final Map<ClassLoader, SharedPool> pools = Collections.synchronizedMap(new WeakHashMap<>());
  private final SharedPool bootstrapPool = new SharedPool(ClassFileLocator.ForClassLoader.ofBootLoader());

  @Override
  public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
    return new TypePool.LazyFacade(new ForTransformation(classFileLocator, locate(classLoader), null));
  }

  @Override
  public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
    return new TypePool.LazyFacade(new ForTransformation(classFileLocator, locate(classLoader), name));
  }

  /** The shared pool of a class loader (null: the bootstrap loader). */
  SharedPool locate(ClassLoader loader) {
    if (loader == null) {
      return bootstrapPool;
    }
    return pools.computeIfAbsent(loader, key -> new SharedPool(ClassFileLocator.ForClassLoader.WeaklyReferenced.of(key)));
  }

  /**
   * A class loader's pool: a bounded cache, and a locator that holds the loader weakly. What it
   * caches keeps a type's header, not its class file: should the rest be asked for (rare: the
   * types advice and woven methods name), the class file is read again.
   *
   * <p>The header of a {@code java.*} type comes from its {@code Class}, not its class file. The
   * JDK's class files are read from the {@code lib/modules} image, which is mapped into memory:
   * every JDK supertype read for matching (Object, Serializable, AutoCloseable, java.sql's
   * interfaces...) made pages of it resident that the JVM, which takes those classes from its
   * class data sharing archive, never touches otherwise; some 5 MB for the demo app. Such a type
   * is loaded by the JVM anyway, since a class cannot be defined before its supertypes, and the
   * agent never transforms {@code java.*} types, so loading it a moment early changes nothing.
   */
  static final class SharedPool extends TypePool.Default.WithLazyResolution {
    SharedPool(ClassFileLocator locator) {
      super(new BoundedTypeCache(), locator, READER_MODE, LAZINESS);
    }

    @Override
    protected Resolution doResolve(String name) {
      if (name.startsWith("java.")) {
        Resolution cached = cacheProvider.find(name);
        if (cached != null) {
          return cached;
        }
        HeaderOnly header = HeaderOnly.ofLoaded(name, classFileLocator, classReaderFactory);
        if (header != null) {
          return cacheProvider.register(name, new Resolution.Simple(describe(header)));
        }
      }
      return super.doResolve(name);
    }

    @Override
    protected TypeDescription doParse(AsmClassReader classReader) {
      return describe(new HeaderOnly(classReader, classFileLocator, classReaderFactory));
    }

    /**
     * An extended-lazy description that also answers {@code getModifiers()} from the header when
     * the header tells them: Byte Buddy asks it of the types named in the methods it weaves
     * ({@code isVisibleTo}), and would parse each of them in full for that alone.
     */
    private TypeDescription describe(HeaderOnly header) {
      int modifiers = header.typeModifiers();
      if (modifiers == HeaderOnly.UNKNOWN) {
        return super.doParse(header);
      }
      return new ExtendedLazyTypeDescription(header) {
        @Override
        public int getModifiers() {
          return modifiers;
        }
      };
    }

    /** How many types are cached (resolved or not found). */
    int cachedTypes() {
      return ((BoundedTypeCache) cacheProvider).size();
    }
  }

  /**
   * What an extended-lazy description reads from a class file up front (modifiers, names of the
   * type, its superclass and interfaces), kept without the class file; a full parse reads the
   * class file again.
   */
  static final class HeaderOnly implements AsmClassReader {
    /** {@link #typeModifiers()} when only a full parse can tell. */
    static final int UNKNOWN = -1;

    private final int modifiers;
    private final boolean modifiersFromClass;
    private final String internalName;
    private final String superClassInternalName;
    private final List<String> interfaceInternalNames;
    private final ClassFileLocator classFileLocator;
    private final AsmClassReader.Factory classReaderFactory;

    HeaderOnly(AsmClassReader classReader, ClassFileLocator classFileLocator, AsmClassReader.Factory classReaderFactory) {
      this(
          classReader.getModifiers(),
          false,
          classReader.getInternalName(),
          classReader.getSuperClassInternalName(),
          classReader.getInterfaceInternalNames(),
          classFileLocator,
          classReaderFactory);
    }

    private HeaderOnly(
        int modifiers,
        boolean modifiersFromClass,
        String internalName,
        String superClassInternalName,
        List<String> interfaceInternalNames,
        ClassFileLocator classFileLocator,
        AsmClassReader.Factory classReaderFactory) {
      this.modifiers = modifiers;
      this.modifiersFromClass = modifiersFromClass;
      this.internalName = internalName;
      this.superClassInternalName = superClassInternalName;
      this.interfaceInternalNames =
          interfaceInternalNames.isEmpty() ? Collections.emptyList() : new ArrayList<>(interfaceInternalNames);
      this.classFileLocator = classFileLocator;
      this.classReaderFactory = classReaderFactory;
    }

    /**
     * The header of a JDK type from its {@code Class} (loaded, not initialized, if need be), or
     * null when there is no such type. Only for {@code java.*}: every class loader finds those in
     * the JDK, and nothing else may define them.
     */
    static HeaderOnly ofLoaded(String name, ClassFileLocator classFileLocator, AsmClassReader.Factory classReaderFactory) {
      Class<?> type;
      try {
        type = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return null; // read from the class file, as for any other type
      }
      List<String> interfaces = new ArrayList<>();
      for (Class<?> anInterface : type.getInterfaces()) {
        interfaces.add(anInterface.getName().replace('.', '/'));
      }
      Class<?> superClass = type.getSuperclass();
      String superName =
          superClass != null ? superClass.getName().replace('.', '/') : type.isInterface() ? "java/lang/Object" : null;
      // Class.getModifiers() gives the class file's access flags (as the InnerClasses attribute
      // has them for a nested type): interface, abstract, enum and annotation are what is read.
      return new HeaderOnly(
          type.getModifiers(), true, name.replace('.', '/'), superName, interfaces, classFileLocator, classReaderFactory);
    }

    /**
     * The type's modifiers as a full parse gives them, or {@link #UNKNOWN}. A loaded class has
     * them (nested or not); a class file's header has them for a top-level type only, less
     * {@code ACC_SUPER} (a nested type's come from its InnerClasses attribute, and a name without
     * {@code $} is never nested). Records get a flag from their Record attribute: a full parse.
     */
    int typeModifiers() {
      if ("java/lang/Record".equals(superClassInternalName)) {
        return UNKNOWN;
      }
      if (modifiersFromClass) {
        return modifiers;
      }
      if (internalName.indexOf('$', internalName.lastIndexOf('/') + 1) >= 0) {
        return UNKNOWN;
      }
      return modifiers & ~Opcodes.ACC_SUPER & ~Opcodes.ACC_DEPRECATED;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      return null;
    }

    @Override
    public int getModifiers() {
      return modifiers;
    }

    @Override
    public String getInternalName() {
      return internalName;
    }

    @Override
    public String getSuperClassInternalName() {
      return superClassInternalName;
    }

    @Override
    public List<String> getInterfaceInternalNames() {
      return interfaceInternalNames;
    }

    @Override
    public void accept(ClassVisitor classVisitor, int flags) {
      ClassFileLocator.Resolution classFile;
      try {
        classFile = classFileLocator.locate(internalName.replace('/', '.'));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the class file of " + internalName + " again", e);
      }
      if (!classFile.isResolved()) {
        throw new IllegalStateException("the class file of " + internalName + " is gone");
      }
      classReaderFactory.make(classFile.resolve()).accept(classVisitor, flags);
    }
  }

  /**
   * The pool of one transformation. It reads the type being transformed from the bytes at hand
   * (a class retransformed, or generated with no class file: the shared pool cannot know it) and
   * keeps its description to itself; every other type comes from the loader's shared pool.
   *
   * <p>Overriding {@code doResolve} rather than giving the shared pool as parent: Byte Buddy asks
   * a parent only in {@code describe}, while an extended-lazy description resolves its supertypes
   * through {@code doResolve} of the pool that read it, and would read and parse them again for
   * every class transformed.
   */
  static final class ForTransformation extends TypePool.Default.WithLazyResolution {
    private final TypePool shared;
    private final String transformedName;

    ForTransformation(ClassFileLocator classFileLocator, TypePool shared, String transformedName) {
      super(new TypePool.CacheProvider.Simple(), classFileLocator, READER_MODE, LAZINESS);
      this.shared = shared;
      this.transformedName = transformedName;
    }

    @Override
    protected Resolution doResolve(String name) {
      if (!name.equals(transformedName)) {
        Resolution resolution = shared.describe(name);
        if (resolution.isResolved()) {
          return resolution;
        }
      }
      return super.doResolve(name);
    }

    @Override
    public void clear() {
      // Only this transformation's own cache: the shared pool outlives it.
      cacheProvider.clear();
    }
  }
}
