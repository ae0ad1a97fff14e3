package dev.obsagent.core.api;

import static dev.obsagent.core.api.ClassPathJarsTest.bytes;
import static dev.obsagent.core.api.ClassPathJarsTest.jar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFileLookupTest {

  @TempDir Path temp;

  @Test
  void readsWhatTheLoaderWouldLoadParentsFirst() throws IOException {
    try (URLClassLoader parent = loader(jar(temp.resolve("parent.jar"), "com/example/Shared.class", "parent's"));
        URLClassLoader child = new URLClassLoader(
            new URL[] {jar(temp.resolve("child.jar"), "com/example/Shared.class", "child's").toUri().toURL()}, parent)) {
      assertArrayEquals(bytes("parent's"), ClassFileLookup.read(child, "com/example/Shared"));
      assertNull(ClassFileLookup.read(child, "com/example/Missing"));
    }
  }

  @Test
  void aClassInAJdkPackageIsTheJdksWhateverTheClassPathHolds() throws IOException {
    try (URLClassLoader loader = loader(jar(temp.resolve("shadow.jar"), "java/util/ArrayList.class", "not the JDK's"))) {
      assertArrayEquals(
          classFileOf(java.util.ArrayList.class), ClassFileLookup.read(loader, "java/util/ArrayList"));
    }
  }

  @Test
  void readsTheApplicationClassLoadersClasses() throws IOException {
    assertArrayEquals(
        classFileOf(ClassFileLookupTest.class),
        ClassFileLookup.read(ClassLoader.getSystemClassLoader(), ClassFileLookupTest.class.getName().replace('.', '/')));
    assertNull(ClassFileLookup.read(null, "com/example/Missing"));
  }

  private static URLClassLoader loader(Path jar) throws IOException {
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getSystemClassLoader());
  }

  private static byte[] classFileOf(Class<?> type) throws IOException {
    try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
