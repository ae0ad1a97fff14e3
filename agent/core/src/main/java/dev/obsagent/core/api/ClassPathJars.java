package dev.obsagent.core.api;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * The entries of {@code java.class.path} (jars and directories), read directly, for the class
 * files {@link ClassFileLookup} needs from the application class loader. A jar's {@code Class-Path}
 * manifest entries are not followed: what is not found here is looked up through the loader.
 *
 * <p>The jars stay open for the life of the JVM, as they do in the application class loader; the
 * JDK shares one open file and central directory between the two.
 */
final class ClassPathJars {

  /** One class path entry: the resource's bytes, or null when the entry has none. */
  private interface Entry {
    byte[] read(String resource) throws IOException;
  }

  private final List<Entry> entries;

  private ClassPathJars(List<Entry> entries) {
    this.entries = entries;
  }

  /** Entries that cannot be opened are skipped: the loader's own lookup still covers them. */
  static ClassPathJars open(String classPath) {
    List<Entry> entries = new ArrayList<>();
    for (String path : classPath.split(File.pathSeparator)) {
      File file = new File(path);
      if (path.isEmpty()) {
        continue;
      } else if (file.isDirectory()) {
        entries.add(resource -> readFile(new File(file, resource)));
      } else if (file.isFile()) {
        try {
          // Versioned like the application class loader's own: a multi-release jar's classes
          // for this JDK first.
          JarFile jar = new JarFile(file, false, ZipFile.OPEN_READ, Runtime.version());
          entries.add(resource -> readEntry(jar, resource));
        } catch (IOException | SecurityException unusable) {
          // not a jar the agent can read
        }
      }
    }
    return new ClassPathJars(entries);
  }

  /** The resource from the first class path entry that has it; null when none has. */
  byte[] read(String resource) throws IOException {
    for (Entry entry : entries) {
      byte[] bytes = entry.read(resource);
      if (bytes != null) {
        return bytes;
      }
    }
    return null;
  }

  private static byte[] readEntry(JarFile jar, String resource) throws IOException {
    JarEntry entry = jar.getJarEntry(resource);
    if (entry == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private static byte[] readFile(File file) throws IOException {
    return file.isFile() ? Files.readAllBytes(file.toPath()) : null;
  }
}
