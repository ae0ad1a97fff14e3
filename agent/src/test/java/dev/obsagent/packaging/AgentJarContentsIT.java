package dev.obsagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar: only the launcher and the bridge are plain classes (an application's class
 * loader or class-path scanner sees nothing else), and everything under inst/ is the agent's own
 * or relocated under dev.obsagent.shaded.
 */
class AgentJarContentsIT {

  private static JarFile agentJar() throws IOException {
    File jar = new File(System.getProperty("obs.agent.jar"));
    assertTrue(jar.isFile(), "agent jar at " + jar);
    assertEquals("obs-agent.jar", jar.getName());
    return new JarFile(jar);
  }

  @Test
  void everyClassBelongsToTheAgentsOwnPackages() throws IOException {
    List<String> strays = new ArrayList<>();
    try (JarFile jar = agentJar()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        boolean visibleClass =
            name.endsWith(".class")
                && (name.startsWith("dev/obsagent/launcher/") || name.startsWith("dev/obsagent/bootstrap/"));
        boolean hiddenAgentClass = name.startsWith("inst/dev/obsagent/") && name.endsWith(".classdata");
        boolean hiddenResource =
            name.startsWith("inst/") && !name.endsWith(".class") && !name.endsWith(".classdata")
                && (name.startsWith("inst/META-INF/") || name.startsWith("inst/dev/obsagent/"));
        if (!(visibleClass || hiddenAgentClass || hiddenResource)) {
          strays.add(name);
        }
      }
    }
    assertEquals(List.of(), strays, "entries outside the agent's packages");
  }

  @Test
  void servicesNameRelocatedTypes() throws IOException {
    try (JarFile jar = agentJar()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("inst/META-INF/services/") && !entry.isDirectory()) {
          assertTrue(name.startsWith("inst/META-INF/services/dev.obsagent."), name);
          try (InputStream in = jar.getInputStream(entry)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
              String provider = line.trim();
              if (!provider.isEmpty() && !provider.startsWith("#")) {
                assertTrue(provider.startsWith("dev.obsagent."), name + " names " + provider);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void manifestDeclaresPremainAndAgentMain() throws IOException {
    try (JarFile jar = agentJar()) {
      Attributes attributes = jar.getManifest().getMainAttributes();
      assertEquals("dev.obsagent.launcher.ObsAgentLauncher", attributes.getValue("Premain-Class"));
      assertEquals("dev.obsagent.launcher.ObsAgentLauncher", attributes.getValue("Agent-Class"));
      assertEquals("true", attributes.getValue("Can-Retransform-Classes"));
      assertNotNull(jar.getEntry("inst/dev/obsagent/core/AgentStarter.classdata"));
      assertNotNull(jar.getEntry("inst/META-INF/services/dev.obsagent.core.api.InstrumentationModule"));
    }
  }

  @Test
  void agentCodeTargetsJava11() throws IOException {
    try (JarFile jar = agentJar()) {
      for (String name : List.of(
          "dev/obsagent/launcher/ObsAgentLauncher.class",
          "dev/obsagent/bootstrap/InstrumentationErrors.class",
          "inst/dev/obsagent/core/AgentRuntime.classdata",
          "inst/dev/obsagent/instrumentation/servlet/jakarta/JakartaServletHelper.classdata")) {
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
          byte[] header = in.readNBytes(8);
          int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
          assertEquals(55, major, name + " class file version (55 = Java 11)");
        }
      }
    }
  }
}
