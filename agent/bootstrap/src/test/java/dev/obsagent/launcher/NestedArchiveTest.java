package dev.obsagent.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives made here with java.util.zip, laid out as the agent jar is: inst.zip stored in a jar. */
class NestedArchiveTest {

  @TempDir Path directory;

  /** A zip of these files; deflated unless {@code stored}. */
  private static byte[] zip(Map<String, byte[]> files, boolean stored) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        if (stored) {
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(file.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(file.getValue());
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
      }
      zip.setComment("a comment after the central directory");
    }
    return bytes.toByteArray();
  }

  /** The agent jar's layout: a launcher class, then inst.zip stored. */
  private File agentJar(Map<String, byte[]> archived, boolean archivedStored) throws IOException {
    Map<String, byte[]> outer = new LinkedHashMap<>();
    outer.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
    outer.put("dev/obsagent/launcher/Launcher.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
    outer.put("inst.zip", zip(archived, archivedStored));
    File jar = directory.resolve("agent.jar").toFile();
    Files.write(jar.toPath(), zip(outer, true));
    return jar;
  }

  private static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("dev/obsagent/core/A.class", "class A".getBytes(StandardCharsets.UTF_8));
    byte[] large = new byte[200_000];
    new Random(7).nextBytes(large); // does not compress: inflating must still fill it exactly
    files.put("dev/obsagent/core/Large.class", large);
    files.put("META-INF/services/java.lang.Runnable", "dev.obsagent.core.Task\n".getBytes(StandardCharsets.UTF_8));
    files.put("dev/obsagent/core/caf\u00e9.properties", "x=1".getBytes(StandardCharsets.UTF_8));
    files.put("dev/obsagent/core/Empty.class", new byte[0]);
    return files;
  }

  @Test
  void readsEveryEntryDeflatedOrStored() throws IOException {
    for (boolean stored : List.of(false, true)) {
      try (NestedArchive archive = NestedArchive.open(agentJar(files(), stored), "inst.zip")) {
        assertEquals(files().size(), archive.size());
        for (Map.Entry<String, byte[]> file : files().entrySet()) {
          assertArrayEquals(file.getValue(), archive.read(file.getKey()), file.getKey());
          assertTrue(archive.contains(file.getKey()));
        }
        assertNull(archive.read("dev/obsagent/core/Missing.class"));
        assertFalse(archive.contains("dev/obsagent/core/A.clas"));
        assertNull(archive.read("dev/obsagent/launcher/Launcher.class"), "an entry of the outer jar");
      }
    }
  }

  @Test
  void aCompressedArchiveEntryIsRefusedClearly() throws IOException {
    Map<String, byte[]> outer = new LinkedHashMap<>();
    outer.put("inst.zip", zip(files(), false));
    File jar = directory.resolve("deflated.jar").toFile();
    Files.write(jar.toPath(), zip(outer, false)); // inst.zip itself deflated: cannot be read in place
    IOException e = assertThrows(IOException.class, () -> NestedArchive.open(jar, "inst.zip"));
    assertTrue(e.getMessage().contains("no stored entry inst.zip"), e.getMessage());
    assertThrows(IOException.class, () -> NestedArchive.open(jar, "other.zip"));
  }

  @Test
  void theClassLoaderServesClassesResourcesAndServiceFiles() throws Exception {
    Map<String, byte[]> archived = new LinkedHashMap<>();
    archived.put("META-INF/services/java.lang.Runnable", "dev.obsagent.launcher.SampleTask\n".getBytes(StandardCharsets.UTF_8));
    archived.put("dev/obsagent/core/version.properties", "version=1.2.3".getBytes(StandardCharsets.UTF_8));
    archived.put("dev/obsagent/launcher/SampleTask.class", classFile("/dev/obsagent/launcher/SampleTask.class"));
    AgentClassLoader loader = new AgentClassLoader(agentJar(archived, false), ClassLoader.getPlatformClassLoader());

    try (InputStream in = loader.getResourceAsStream("dev/obsagent/core/version.properties")) {
      assertEquals("version=1.2.3", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    URL url = loader.getResource("dev/obsagent/core/version.properties");
    assertEquals("obs-agent:/dev/obsagent/core/version.properties", url.toString());
    try (InputStream in = url.openStream()) {
      assertEquals("version=1.2.3", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertNull(loader.getResource("dev/obsagent/core/missing.properties"));
    assertEquals(List.of(url), Collections.list(loader.getResources("dev/obsagent/core/version.properties")));

    // Its parent, the platform loader, does not see the test's classes: this one is the archive's.
    Class<?> task = loader.loadClass("dev.obsagent.launcher.SampleTask");
    assertEquals(loader, task.getClassLoader());
    assertEquals("dev.obsagent.launcher", task.getPackage().getName());
    // ServiceLoader reads the service file through the obs-agent: URL and loads the provider.
    Runnable provider = ServiceLoader.load(Runnable.class, loader).findFirst().orElseThrow();
    assertEquals(task, provider.getClass());
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.obsagent.core.Missing"));
  }

  private static byte[] classFile(String resource) throws IOException {
    try (InputStream in = NestedArchiveTest.class.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
