package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractList;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

class SuperTypesTest {

  /** Extends AbstractList (so List, Collection, Iterable) and implements RandomAccess. */
  abstract static class Numbers extends AbstractList<Integer> implements java.util.RandomAccess {}

  /** Implements java.sql.PreparedStatement, which extends Statement, which extends Wrapper. */
  abstract static class SomeStatement implements java.sql.PreparedStatement {}

  interface SomeList extends java.util.List<String> {}

  private static final ClassLoader LOADER = SuperTypesTest.class.getClassLoader();

  @Test
  void aClassCarriesTheBitOfEverySupertypeRegisteredBeforeOrAfterItWasRead() throws IOException {
    long list = SuperTypes.register("java.util.List");
    long numbers = mask(LOADER, Numbers.class);
    assertEquals(list, numbers & list);
    // Numbers' mask is remembered now; a name registered afterwards must still find its bit.
    long randomAccess = SuperTypes.register("java.util.RandomAccess");
    long deque = SuperTypes.register("java.util.Deque");
    assertEquals(randomAccess, mask(LOADER, Numbers.class) & randomAccess);
    assertEquals(0, mask(LOADER, Numbers.class) & deque);
  }

  @Test
  void aClassFileExtendingAMatchedJdkTypeThroughJdkSupertypesMatches() throws IOException {
    long wrapper = SuperTypes.register("java.sql.Wrapper");
    assertEquals(wrapper, mask(LOADER, SomeStatement.class) & wrapper);
    assertEquals(0, mask(LOADER, SuperTypesTest.class) & wrapper);
  }

  @Test
  void interfacesNeverMatch() throws IOException {
    SuperTypes.register("java.util.List");
    assertEquals(0, mask(LOADER, SomeList.class));
  }

  @Test
  void theClassItselfMatchesItsOwnName() throws IOException {
    long own = SuperTypes.register(Numbers.class.getName());
    assertEquals(own, mask(LOADER, Numbers.class) & own);
  }

  @Test
  void aSupertypeMissingFromTheClassPathIsSkippedNotThrown() {
    long missing = SuperTypes.register("com.example.Missing");
    long runnable = SuperTypes.register("java.lang.Runnable");
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "com/example/Orphan", null, "com/example/Missing", new String[] {"java/lang/Runnable"});
    writer.visitEnd();
    long mask = SuperTypes.matchedMask(LOADER, "com/example/Orphan", writer.toByteArray());
    // The missing class is still known by name; the rest of the hierarchy still counts.
    assertEquals(missing, mask & missing);
    assertEquals(runnable, mask & runnable);
  }

  @Test
  void aRegisteredNameHasOneBit() {
    long a = SuperTypes.register("java.util.concurrent.Callable");
    assertEquals(a, SuperTypes.register("java.util.concurrent.Callable"));
    assertEquals(1, Long.bitCount(a));
    assertNotEquals(a, SuperTypes.register("java.util.concurrent.Future"));
  }

  private static long mask(ClassLoader loader, Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = LOADER.getResourceAsStream(resource)) {
      return SuperTypes.matchedMask(loader, type.getName().replace('.', '/'), in.readAllBytes());
    }
  }
}
