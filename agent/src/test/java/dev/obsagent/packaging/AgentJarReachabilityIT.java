package dev.obsagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent pom leaves out library classes no code path of the agent reaches (agent/pom.xml, shade
 * filters). This proves nothing it reaches went missing: starting from the launcher, the bridge,
 * every class of the agent's own and every service provider in the jar, it follows every class
 * name written in a class file's constant pool (class references, descriptors, signatures, string
 * constants such as {@code Class.forName} arguments, annotations) and fails when a reached class
 * refers to a relocated class that is not in the jar: that would be a NoClassDefFoundError on
 * some code path.
 */
class AgentJarReachabilityIT {

  /**
   * Relocated classes that reached classes name, knowingly not shipped, each only used when
   * present: the OpenTelemetry SDK's extended tracer needs the incubator API, which it looks for
   * first; Prometheus' tracer bridge to the OpenTelemetry Java agent needs that agent's classes.
   */
  private static final List<String> OPTIONAL =
      List.of(
          "dev/obsagent/shaded/opentelemetry/api/incubator/",
          "dev/obsagent/shaded/opentelemetry/javaagent/");

  private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+");
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([^;<]+)[;<]");

  @Test
  void everyClassTheAgentCanReachIsInTheJar() throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    Set<String> roots = new TreeSet<>();
    List<String> services = new ArrayList<>();
    try (JarFile jar = AgentJarFiles.agentJar()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (!entry.isDirectory() && name.endsWith(".class")) {
          classes.put(name.substring(0, name.length() - ".class".length()), read(jar, entry));
        }
      }
      for (Map.Entry<String, byte[]> file : AgentJarFiles.archiveFiles(jar).entrySet()) {
        String name = file.getKey();
        if (name.endsWith(".class")) {
          classes.put(name.substring(0, name.length() - ".class".length()), file.getValue());
        } else if (name.startsWith("META-INF/services/")) {
          services.add(new String(file.getValue(), StandardCharsets.UTF_8));
        }
      }
    }
    for (String className : classes.keySet()) {
      if (className.startsWith("dev/obsagent/") && !className.startsWith("dev/obsagent/shaded/")) {
        roots.add(className);
      }
    }
    for (String file : services) {
      for (String line : file.split("\n")) {
        String provider = line.replaceAll("#.*", "").trim();
        if (!provider.isEmpty()) {
          String className = provider.replace('.', '/');
          assertTrue(classes.containsKey(className), "service provider " + provider + " is not in the jar");
          roots.add(className);
        }
      }
    }

    Set<String> reached = new HashSet<>();
    Map<String, Set<String>> missing = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>(roots);
    while (!queue.isEmpty()) {
      String className = queue.pop();
      if (!reached.add(className)) {
        continue;
      }
      ConstantPool pool = ConstantPool.read(classes.get(className));
      for (String utf8 : pool.utf8) {
        Matcher m = NAME.matcher(utf8);
        while (m.find()) {
          String named = m.group().replace('.', '/');
          if (classes.containsKey(named) && !reached.contains(named)) {
            queue.push(named);
          }
        }
      }
      for (String outer = className; outer.lastIndexOf('$') > outer.lastIndexOf('/'); ) {
        outer = outer.substring(0, outer.lastIndexOf('$'));
        if (classes.containsKey(outer) && !reached.contains(outer)) {
          queue.push(outer);
        }
      }
      for (String referenced : pool.resolvedClasses()) {
        if (referenced.startsWith("dev/obsagent/")
            && !classes.containsKey(referenced)
            && OPTIONAL.stream().noneMatch(referenced::startsWith)) {
          missing.computeIfAbsent(referenced, k -> new TreeSet<>()).add(className);
        }
      }
    }

    assertEquals(Map.of(), missing, "classes the agent can reach refer to classes missing from the jar");
    // The walk does reach the libraries' entry points (so the check above means something).
    for (String expected :
        List.of(
            "dev/obsagent/core/weave/ClassWeaver",
            "dev/obsagent/shaded/asm/ClassReader",
            "dev/obsagent/shaded/asm/tree/ClassNode",
            "dev/obsagent/shaded/opentelemetry/sdk/trace/SdkTracerProvider",
            "dev/obsagent/core/tracing/otlp/TraceRequestEncoder",
            "dev/obsagent/core/tracing/UrlConnectionHttpSender",
            "dev/obsagent/shaded/prometheus/metrics/instrumentation/jvm/JvmNativeMemoryMetrics",
            "dev/obsagent/shaded/jackson/core/json/async/NonBlockingJsonParser")) {
      assertTrue(reached.contains(expected), expected + " not reached");
    }
  }

  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** The constant pool of a class file: its UTF-8 strings and what the JVM may resolve as a class. */
  private static final class ConstantPool {
    final List<String> utf8 = new ArrayList<>();
    private final Map<Integer, String> utf8ByIndex = new HashMap<>();
    private final List<Integer> classNames = new ArrayList<>();
    private final List<Integer> descriptors = new ArrayList<>();

    static ConstantPool read(byte[] classFile) throws IOException {
      ConstantPool pool = new ConstantPool();
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
      assertEquals(0xCAFEBABE, in.readInt(), "class file magic");
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1: // Utf8
            String value = in.readUTF();
            pool.utf8.add(value);
            pool.utf8ByIndex.put(i, value);
            break;
          case 7: // Class
            pool.classNames.add(in.readUnsignedShort());
            break;
          case 16: // MethodType
            pool.descriptors.add(in.readUnsignedShort());
            break;
          case 12: // NameAndType
            in.readUnsignedShort();
            pool.descriptors.add(in.readUnsignedShort());
            break;
          case 8: // String
          case 19: // Module
          case 20: // Package
            in.readUnsignedShort();
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 17: // Dynamic
          case 18: // InvokeDynamic
            in.readInt();
            break;
          case 5: // Long
          case 6: // Double
            in.readLong();
            i++;
            break;
          case 15: // MethodHandle
            in.readUnsignedByte();
            in.readUnsignedShort();
            break;
          default:
            throw new IOException("unknown constant pool tag " + tag);
        }
      }
      return pool;
    }

    /** Classes named by class constants and by field, method and method-type descriptors. */
    Set<String> resolvedClasses() {
      Set<String> names = new HashSet<>();
      for (int index : classNames) {
        String name = utf8ByIndex.get(index);
        if (name.startsWith("[")) {
          addDescriptorClasses(name, names);
        } else {
          names.add(name);
        }
      }
      for (int index : descriptors) {
        addDescriptorClasses(utf8ByIndex.get(index), names);
      }
      return names;
    }

    private static void addDescriptorClasses(String descriptor, Set<String> names) {
      Matcher m = DESCRIPTOR_CLASS.matcher(descriptor);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
  }
}
