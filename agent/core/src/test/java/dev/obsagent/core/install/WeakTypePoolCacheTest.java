package dev.obsagent.core.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class WeakTypePoolCacheTest {

  /** A supertype chain: {@code Sample extends Base implements Marker}. */
  interface Marker {}

  static class Base {}

  static class Sample extends Base implements Marker {
    public void original() {}
  }

  private static final ClassLoader LOADER = WeakTypePoolCacheTest.class.getClassLoader();

  /** What Byte Buddy hands the pool strategy for one class being defined: its bytes, then its loader. */
  private static ClassFileLocator transformationLocator(String name, byte[] bytes) {
    return new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.WeaklyReferenced.of(LOADER));
  }

  private static List<String> methodNames(TypeDescription type) {
    return type.getDeclaredMethods().filter(m -> !m.isConstructor()).stream()
        .map(MethodDescription::getName)
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void theTypeBeingTransformedIsReadFromItsBytesAndStaysOutOfTheSharedCache() {
    WeakTypePoolCache strategy = new WeakTypePoolCache();
    // The bytes being transformed differ from the class file the loader has: one more method.
    byte[] retransformed =
        new ByteBuddy()
            .redefine(Sample.class)
            .defineMethod("added", void.class, Visibility.PUBLIC)
            .intercept(StubMethod.INSTANCE)
            .make()
            .getBytes();
    String name = Sample.class.getName();

    TypePool transformation = strategy.typePool(transformationLocator(name, retransformed), LOADER, name);
    TypeDescription sample = transformation.describe(name).resolve();
    assertEquals(List.of("added", "original"), methodNames(sample));
    assertEquals(0, strategy.locate(LOADER).cachedTypes());

    // Another transformation that needs Sample (as a supertype, say) sees the loader's class file.
    TypePool other = strategy.typePool(transformationLocator("some.Other", new byte[0]), LOADER, "some.Other");
    assertEquals(List.of("original"), methodNames(other.describe(name).resolve()));
    assertEquals(1, strategy.locate(LOADER).cachedTypes());
  }

  @Test
  void supertypesAreReadOnceByTheLoadersSharedPoolAndNamedWithoutAFullParse() {
    WeakTypePoolCache strategy = new WeakTypePoolCache();
    String name = WeakTypePoolCacheTest.class.getPackage().getName() + ".Generated";
    byte[] generated =
        new ByteBuddy().subclass(Sample.class).name(name).make().getBytes(); // no class file anywhere

    for (int i = 0; i < 3; i++) {
      TypePool transformation = strategy.typePool(transformationLocator(name, generated), LOADER, name);
      TypeDescription type = transformation.describe(name).resolve();
      TypeDescription superClass = type.getSuperClass().asErasure();
      assertEquals(Sample.class.getName(), superClass.getName());
      TypeDescription base = superClass.getSuperClass().asErasure();
      assertEquals(Base.class.getName(), base.getName());
      assertEquals("java.lang.Object", base.getSuperClass().asErasure().getName());
      assertEquals(
          List.of(Marker.class.getName()),
          superClass.getInterfaces().asErasures().stream().map(TypeDescription::getName).collect(Collectors.toList()));
      assertFalse(superClass.isInterface());
    }
    // Sample and Base, once each, whatever the number of transformations: the generated type is
    // not among them.
    assertEquals(2, strategy.locate(LOADER).cachedTypes());
  }

  /** Counts what a pool reads from class files. */
  private static final class CountingLocator implements ClassFileLocator {
    final List<String> located = new java.util.ArrayList<>();
    private final ClassFileLocator delegate;

    CountingLocator() {
      this(ClassFileLocator.ForClassLoader.ofBootLoader());
    }

    CountingLocator(ClassFileLocator delegate) {
      this.delegate = delegate;
    }

    @Override
    public Resolution locate(String name) throws java.io.IOException {
      located.add(name);
      return delegate.locate(name);
    }

    @Override
    public void close() {}
  }

  @Test
  void jdkTypesAreDescribedFromTheirClassesWithoutReadingClassFiles() {
    CountingLocator locator = new CountingLocator();
    WeakTypePoolCache.SharedPool pool = new WeakTypePoolCache.SharedPool(locator);

    TypeDescription arrayList = pool.describe("java.util.ArrayList").resolve();
    assertEquals("java.util.AbstractList", arrayList.getSuperClass().asErasure().getName());
    assertEquals(
        List.of("java.util.List", "java.util.RandomAccess", "java.lang.Cloneable", "java.io.Serializable"),
        arrayList.getInterfaces().asErasures().stream().map(TypeDescription::getName).collect(Collectors.toList()));
    assertFalse(arrayList.isInterface());
    assertFalse(arrayList.isAbstract());
    TypeDescription list = pool.describe("java.util.List").resolve();
    assertTrue(list.isInterface());
    assertNull(list.getSuperClass());
    assertEquals(List.of("java.util.Collection"),
        list.getInterfaces().asErasures().stream().map(TypeDescription::getName).collect(Collectors.toList()));
    assertTrue(pool.describe("java.util.AbstractList").resolve().isAbstract());
    assertTrue(pool.describe("java.time.DayOfWeek").resolve().isEnum());
    assertTrue(pool.describe("java.lang.Deprecated").resolve().isAnnotation());
    assertTrue(pool.describe("java.util.Map$Entry").resolve().isInterface());
    assertNull(pool.describe("java.lang.Object").resolve().getSuperClass());
    assertFalse(pool.describe("java.lang.NoSuchTypeAnywhere").isResolved());
    assertEquals(List.of("java.lang.NoSuchTypeAnywhere"), locator.located, "only the type the JDK does not have");

    // The rest of a description is still there, read from the class file when asked for.
    assertTrue(arrayList.getDeclaredMethods().stream().anyMatch(m -> m.getName().equals("ensureCapacity")));
    assertEquals(List.of("java.lang.NoSuchTypeAnywhere", "java.util.ArrayList"), locator.located);
    assertEquals(8, pool.cachedTypes());
  }

  @Test
  void modifiersAreThoseOfAFullParseAndTakenFromTheHeaderWhereItTellsThem() {
    List<Class<?>> types =
        List.of(
            Object.class, String.class, java.util.AbstractList.class, java.util.Map.Entry.class,
            Thread.State.class, Deprecated.class, java.time.DayOfWeek.class, // java.*: from the Class
            WeakTypePoolCacheTest.class, ByteBuddy.class, TypePool.class, Test.class,
            Visibility.class, StubMethod.class, // top-level: from the class file's header
            Sample.class, Marker.class, TypePool.Default.class); // nested: a full parse
    CountingLocator locator = new CountingLocator(ClassFileLocator.ForClassLoader.of(LOADER));
    WeakTypePoolCache.SharedPool pool = new WeakTypePoolCache.SharedPool(locator);
    TypePool fullParse = TypePool.Default.of(LOADER);
    for (Class<?> type : types) {
      assertEquals(
          fullParse.describe(type.getName()).resolve().getModifiers(),
          pool.describe(type.getName()).resolve().getModifiers(),
          type.getName());
    }
    // One read for each non-JDK type's header; a second, full one only for the nested types.
    assertEquals(
        List.of(
            WeakTypePoolCacheTest.class.getName(), ByteBuddy.class.getName(), TypePool.class.getName(),
            Test.class.getName(), Visibility.class.getName(), StubMethod.class.getName(),
            Sample.class.getName(), Sample.class.getName(), Marker.class.getName(), Marker.class.getName(),
            TypePool.Default.class.getName(), TypePool.Default.class.getName()),
        locator.located);
  }

  @Test
  void theBootstrapLoaderHasItsOwnPool() {
    WeakTypePoolCache strategy = new WeakTypePoolCache();
    TypePool pool = strategy.typePool(ClassFileLocator.ForClassLoader.ofBootLoader(), null, "java.lang.String");
    assertEquals("java.lang.Object", pool.describe("java.lang.String").resolve().getSuperClass().asErasure().getName());
    assertEquals(0, strategy.locate(null).cachedTypes(), "String was read from its bytes; Object only named");
    assertTrue(pool.describe("java.lang.Object").isResolved());
    assertEquals(1, strategy.locate(null).cachedTypes());
  }

  @Test
  void anUnusedClassLoaderAndItsCachedTypesAreCollected() throws Exception {
    WeakTypePoolCache strategy = new WeakTypePoolCache();
    WeakReference<ClassLoader> loader = useAndDropALoader(strategy);
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(loader.get(), "the strategy must not hold a class loader strongly");
  }

  private static WeakReference<ClassLoader> useAndDropALoader(WeakTypePoolCache strategy) {
    URL classes = WeakTypePoolCacheTest.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader loader = new URLClassLoader(new URL[] {classes}, null);
    TypePool pool =
        strategy.typePool(ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader), loader, "some.Type");
    assertEquals(Base.class.getName(), pool.describe(Sample.class.getName()).resolve().getSuperClass().asErasure().getName());
    assertEquals(1, strategy.locate(loader).cachedTypes());
    return new WeakReference<>(loader);
  }
}
