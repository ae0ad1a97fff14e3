package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    assertEquals(Set.of(name), SuperTypes.names(numbers));
  }
}
