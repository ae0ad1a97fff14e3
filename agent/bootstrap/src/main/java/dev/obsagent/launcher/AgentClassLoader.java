package dev.obsagent.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own code (core, instrumentation modules and the relocated Byte Buddy,
 * OpenTelemetry and Prometheus client) from the {@code inst/} folder of the agent jar.
 *
 * <p>Those classes are stored as {@code inst/<name>.classdata}, so neither the system class
 * loader (which has the agent jar on its path) nor an application scanning the class path ever
 * sees them. Resources ({@code META-INF/services/...}, version files) live under {@code inst/}
 * too. The parent is the platform loader: the agent sees the JDK, never the application.
 *
 * <p>Not registered as parallel capable: such a loader keeps a lock object for every class name
 * ever asked of it, in the demo some 1,600 entries and 90 KB of heap for the life of the JVM.
 * One lock for the whole loader costs nothing that can be measured: most agent classes load on
 * the agent's start thread, and the loader delegates only to the platform loader, which never
 * asks it back, so the single lock cannot deadlock.
 */
final class AgentClassLoader extends ClassLoader {

  static final String PREFIX = "inst/";
  private static final String CLASS_DATA = ".classdata";

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  AgentClassLoader(File agentJar, ClassLoader parent) throws IOException {
    super("obs-agent", parent);
    this.jar = new JarFile(agentJar, false);
    this.jarUrl = "jar:" + agentJar.toURI() + "!/";
    CodeSource codeSource = new CodeSource(agentJar.toURI().toURL(), (Certificate[]) null);
    this.protectionDomain = new ProtectionDomain(codeSource, null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + CLASS_DATA);
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  private void definePackageOf(String className) {
    int lastDot = className.lastIndexOf('.');
    if (lastDot < 0) {
      return;
    }
    String packageName = className.substring(0, lastDot);
    if (getDefinedPackage(packageName) == null) {
      try {
        definePackage(packageName, null, null, null, null, null, null, null);
      } catch (IllegalArgumentException alreadyDefinedByAnotherThread) {
        // fine: another thread won the race
      }
    }
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    // Straight from the open jar: Byte Buddy reads advice class files through this path.
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
    }
    return super.getResourceAsStream(name);
  }

  /** {@code a/B.class} is stored as {@code inst/a/B.classdata}; other resources under {@code inst/}. */
  private static String entryName(String resourceName) {
    if (resourceName.endsWith(".class")) {
      return PREFIX + resourceName.substring(0, resourceName.length() - ".class".length()) + CLASS_DATA;
    }
    return PREFIX + resourceName;
  }
}
