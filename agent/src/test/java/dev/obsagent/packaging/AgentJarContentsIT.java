package dev.obsagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.obsagent.packaging.AgentJarFiles.agentJar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar: only the launcher and the bridge are plain classes (an application's class
 * loader or class-path scanner sees nothing else) beside the licenses and {@code inst.zip}, and
 * everything in inst.zip is the agent's own or relocated under dev.obsagent.shaded.
 */
class AgentJarContentsIT {

  @Test
  void onlyTheLauncherAndTheBridgeAreVisible() throws IOException {
    List<String> strays = new ArrayList<>();
    try (JarFile jar = agentJar()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF") || name.equals(AgentJarFiles.ARCHIVE)) {
          continue;
        }
        boolean visibleClass =
            name.endsWith(".class")
                && (name.startsWith("dev/obsagent/launcher/") || name.startsWith("dev/obsagent/bootstrap/"));
        boolean license = name.startsWith("META-INF/") && (name.contains("LICENSE") || name.contains("NOTICE")
            || name.startsWith("META-INF/licenses/"));
        if (!(visibleClass || license)) {
          strays.add(name);
        }
      }
    }
    assertEquals(List.of(), strays, "entries besides the launcher, the bridge, the licenses and inst.zip");
  }

  @Test
  void everyArchivedClassBelongsToTheAgentsOwnPackages() throws IOException {
    List<String> strays = new ArrayList<>();
    try (JarFile jar = agentJar()) {
      for (String name : AgentJarFiles.archiveFiles(jar).keySet()) {
        boolean agentFile = name.startsWith("dev/obsagent/")
            && !name.startsWith("dev/obsagent/launcher/") && !name.startsWith("dev/obsagent/bootstrap/");
        boolean metadata = name.startsWith("META-INF/") && !name.endsWith(".class");
        if (!(agentFile || metadata)) {
          strays.add(name);
        }
      }
    }
    assertEquals(List.of(), strays, "inst.zip entries outside the agent's packages");
  }

  @Test
  void theLicensesAreAtTheTopOfTheJar() throws IOException {
    try (JarFile jar = agentJar()) {
      for (String name : List.of("META-INF/LICENSE", "META-INF/NOTICE", "META-INF/licenses/ASM")) {
        assertNotNull(jar.getEntry(name), name);
      }
    }
  }

  @Test
  void servicesNameRelocatedTypes() throws IOException {
    try (JarFile jar = agentJar()) {
      for (Map.Entry<String, byte[]> file : AgentJarFiles.archiveFiles(jar).entrySet()) {
        String name = file.getKey();
        if (name.startsWith("META-INF/services/")) {
          assertTrue(name.startsWith("META-INF/services/dev.obsagent."), name);
          for (String line : new String(file.getValue(), StandardCharsets.UTF_8).split("\n")) {
            String provider = line.trim();
            if (!provider.isEmpty() && !provider.startsWith("#")) {
              assertTrue(provider.startsWith("dev.obsagent."), name + " names " + provider);
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
      Map<String, byte[]> archived = AgentJarFiles.archiveFiles(jar);
      assertTrue(archived.containsKey("dev/obsagent/core/AgentStarter.class"));
      assertTrue(archived.containsKey("META-INF/services/dev.obsagent.core.api.InstrumentationModule"));
    }
  }

  @Test
  void agentCodeTargetsJava11() throws IOException {
    try (JarFile jar = agentJar()) {
      Map<String, byte[]> archived = AgentJarFiles.archiveFiles(jar);
      for (String name : List.of(
          "dev/obsagent/launcher/ObsAgentLauncher.class",
          "dev/obsagent/bootstrap/InstrumentationErrors.class",
          "dev/obsagent/core/AgentRuntime.class",
          "dev/obsagent/instrumentation/servlet/jakarta/JakartaServletHelper.class")) {
        byte[] classFile;
        if (archived.containsKey(name)) {
          classFile = archived.get(name);
        } else {
          try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
            classFile = in.readAllBytes();
          }
        }
        int major = ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
        assertEquals(55, major, name + " class file version (55 = Java 11)");
      }
    }
  }
}
