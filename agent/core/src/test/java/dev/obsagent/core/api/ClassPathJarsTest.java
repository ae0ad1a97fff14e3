package dev.obsagent.core.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathJarsTest {

  @TempDir Path temp;

  @Test
  void theFirstClassPathEntryHoldingTheResourceWins() throws IOException {
    Path jar = jar(temp.resolve("lib.jar"), "a/B.class", "from the jar");
    Path directory = Files.createDirectories(temp.resolve("classes/a")).getParent();
    Files.writeString(directory.resolve("a/B.class"), "from the directory");

    assertArrayEquals(bytes("from the directory"), ClassPathJars.open(classPath(directory, jar)).read("a/B.class"));
    assertArrayEquals(bytes("from the jar"), ClassPathJars.open(classPath(jar, directory)).read("a/B.class"));
  }

  @Test
  void missingResourcesAndUnusableEntriesGiveNull() throws IOException {
    Path notAJar = Files.writeString(temp.resolve("notes.txt"), "not a jar");
    Path jar = jar(temp.resolve("lib.jar"), "a/B.class", "b");
    ClassPathJars classPath = ClassPathJars.open(classPath(temp.resolve("missing.jar"), notAJar, jar) + File.pathSeparator);

    assertArrayEquals(bytes("b"), classPath.read("a/B.class"));
    assertNull(classPath.read("a/C.class"));
    assertNull(ClassPathJars.open("").read("a/B.class"));
  }

  static Path jar(Path path, String entry, String content) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(bytes(content));
      out.closeEntry();
    }
    return path;
  }

  private static String classPath(Path... entries) {
    StringBuilder classPath = new StringBuilder();
    for (Path entry : entries) {
      if (classPath.length() > 0) {
        classPath.append(File.pathSeparator);
      }
      classPath.append(entry);
    }
    return classPath.toString();
  }

  static byte[] bytes(String content) {
    return content.getBytes(StandardCharsets.UTF_8);
  }

}
