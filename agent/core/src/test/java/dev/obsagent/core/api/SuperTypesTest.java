package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SuperTypesTest {

  /** Its superclass is left out of the type pool below. */
  static final class Numbers extends AbstractList<Integer> {
    @Override
    public Integer get(int index) {
      return index;
    }

    @Override
    public int size() {
      return 0;
    }
  }

  @Test
  void classesMatchByAnySupertypeNameInterfacesNever() {
    TypeDescription arrayList = TypeDescription.ForLoadedType.of(ArrayList.class);
    assertTrue(SuperTypes.classExtending("java.util.List").matches(arrayList));
    assertTrue(SuperTypes.classExtending("java.lang.Iterable").matches(arrayList));
    assertTrue(SuperTypes.classExtending("java.util.AbstractCollection").matches(arrayList));
    assertTrue(SuperTypes.classExtending("java.util.ArrayList").matches(arrayList));
    assertFalse(SuperTypes.classExtending("java.util.Map").matches(arrayList));
    assertFalse(SuperTypes.classExtending("java.util.Collection").matches(TypeDescription.ForLoadedType.of(List.class)));
  }

  @Test
  void aSupertypeMissingFromTheClassPathIsSkippedNotThrown() throws IOException {
    String name = Numbers.class.getName();
    byte[] bytes;
    try (InputStream in = Numbers.class.getResourceAsStream(Numbers.class.getSimpleName().replace("Numbers", "SuperTypesTest$Numbers") + ".class")) {
      bytes = in.readAllBytes();
    }
    TypePool pool = TypePool.Default.of(ClassFileLocator.Simple.of(name, bytes));
    TypeDescription numbers = pool.describe(name).resolve();
    assertFalse(SuperTypes.classExtending("java.util.List").matches(numbers));
    assertTrue(SuperTypes.classExtending(name).matches(numbers));
  }

  @Test
  void masksRememberedInALoaderScopeStayRightWhenAnotherNameIsMatchedLater() {
    TypeDescription arrayList = TypeDescription.ForLoadedType.of(ArrayList.class);
    SuperTypes.matchingIn(SuperTypesTest.class.getClassLoader());
    try {
      assertTrue(SuperTypes.classExtending("java.util.RandomAccess").matches(arrayList));
      // ArrayList's mask is remembered now; a matcher made afterwards must still see its bit.
      assertTrue(SuperTypes.classExtending("java.lang.Cloneable").matches(arrayList));
      assertFalse(SuperTypes.classExtending("java.util.Deque").matches(arrayList));
      assertTrue(SuperTypes.classExtending("java.util.Deque").matches(TypeDescription.ForLoadedType.of(java.util.ArrayDeque.class)));
    } finally {
      SuperTypes.doneMatching();
    }
  }

  @Test
  void aRememberedSupertypeIsNotParsedAgain() throws IOException {
    // The second pool can describe Numbers only: its superclass AbstractList must come from what
    // was remembered. Lazy-resolution pools, as the agent's, name a supertype without parsing it.
    SuperTypes.matchingIn(SuperTypesTest.class.getClassLoader());
    try {
      TypePool full = TypePool.Default.WithLazyResolution.of(ClassFileLocator.ForClassLoader.of(SuperTypesTest.class.getClassLoader()));
      assertTrue(SuperTypes.classExtending("java.util.List").matches(full.describe(AbstractList.class.getName()).resolve()));
      String name = Numbers.class.getName();
      byte[] bytes = ClassFileLocator.ForClassLoader.read(Numbers.class);
      TypeDescription numbers = TypePool.Default.WithLazyResolution.of(ClassFileLocator.Simple.of(name, bytes)).describe(name).resolve();
      assertTrue(SuperTypes.classExtending("java.util.List").matches(numbers));
    } finally {
      SuperTypes.doneMatching();
    }
  }

  /** Implements java.sql.PreparedStatement, which extends Statement, which extends Wrapper. */
  abstract static class SomeStatement implements java.sql.PreparedStatement {}

  @Test
  void aClassFileExtendingAMatchedJdkTypeThroughJdkSupertypesIsACandidate() throws IOException {
    SuperTypes.classExtending("java.sql.Wrapper");
    ClassLoader loader = SuperTypesTest.class.getClassLoader();
    assertTrue(
        SuperTypes.mayExtendMatchedType(
            loader, SomeStatement.class.getName().replace('.', '/'), ClassFileLocator.ForClassLoader.read(SomeStatement.class)));
    assertFalse(
        SuperTypes.mayExtendMatchedType(
            loader, SuperTypesTest.class.getName().replace('.', '/'), ClassFileLocator.ForClassLoader.read(SuperTypesTest.class)));
  }
}
