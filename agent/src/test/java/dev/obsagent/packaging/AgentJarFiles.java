package dev.obsagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The built agent jar, and the archive of the agent's own classes stored in it ({@code inst.zip}). */
final class AgentJarFiles {

  static final String ARCHIVE = "inst.zip";

  private AgentJarFiles() {}

  static JarFile agentJar() throws IOException {
    File jar = new File(System.getProperty("obs.agent.jar"));
    assertTrue(jar.isFile(), "agent jar at " + jar);
    assertEquals("obs-agent.jar", jar.getName());
    return new JarFile(jar);
  }

  /** Every file in {@code inst.zip} by name (directories left out), with its bytes. */
  static Map<String, byte[]> archiveFiles(JarFile jar) throws IOException {
    ZipEntry archive = jar.getEntry(ARCHIVE);
    assertNotNull(archive, ARCHIVE + " in the agent jar");
    assertEquals(ZipEntry.STORED, archive.getMethod(), ARCHIVE + " is stored, to be read in place");
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = jar.getInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (!entry.isDirectory()) {
          files.put(entry.getName(), zip.readAllBytes());
        }
      }
    }
    return files;
  }
}
