package dev.obsagent.launcher;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Loads the agent's own code (core, instrumentation modules and the relocated ASM,
 * OpenTelemetry and Prometheus client) from {@code inst.zip}, an archive stored inside the agent
 * jar and read in place ({@link NestedArchive}).
 *
 * <p>Those classes are not entries of the agent jar, so neither the system class loader (which
 * has the agent jar on its path) nor an application scanning the class path ever sees them.
 * Resources ({@code META-INF/services/...}, version files) live in {@code inst.zip} too, and are
 * handed out as {@code obs-agent:} URLs that read from it. The parent is the platform loader: the
 * agent sees the JDK, never the application.
 *
 * <p>Not registered as parallel capable: such a loader keeps a lock object for every class name
 * ever asked of it, in the demo some 1,600 entries and 90 KB of heap for the life of the JVM.
 * One lock for the whole loader costs nothing that can be measured: most agent classes load on
 * the agent's start thread, and the loader delegates only to the platform loader, which never
 * asks it back, so the single lock cannot deadlock.
 */
final class AgentClassLoader extends ClassLoader {

  /** The stored entry of the agent jar that holds the agent's classes and resources. */
  static final String ARCHIVE = "inst.zip";
  static final String URL_PROTOCOL = "obs-agent";

  private final NestedArchive archive;
  private final ProtectionDomain protectionDomain;
  private final URLStreamHandler resourceUrls = new ResourceUrls();

  /**
   * Every launcher class is loaded before the agent starts: once the agent jar is on the bootstrap
   * class path, a launcher class first asked for later would be the bootstrap loader's copy, in
   * another runtime package, and its first use an {@link IllegalAccessError}. The JVM's verifier
   * happens to load this one early; with verification off (or another JVM's order) it would not.
   */
  private static final Class<?> LOADED_BEFORE_THE_AGENT_STARTS = EntryConnection.class;

  AgentClassLoader(File agentJar, ClassLoader parent) throws IOException {
    super("obs-agent", parent);
    this.archive = NestedArchive.open(agentJar, ARCHIVE);
    CodeSource codeSource = new CodeSource(agentJar.toURI().toURL(), (Certificate[]) null);
    this.protectionDomain = new ProtectionDomain(codeSource, null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes;
    try {
      bytes = archive.read(name.replace('.', '/') + ".class");
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    if (bytes == null) {
      throw new ClassNotFoundException(name);
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
    try {
      return archive.contains(name) ? new URL(URL_PROTOCOL, null, -1, "/" + name, resourceUrls) : null;
    } catch (IOException e) {
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
    // Straight from the archive: the weaver reads advice class files through this path.
    try {
      byte[] bytes = archive.read(name);
      if (bytes != null) {
        return new ByteArrayInputStream(bytes);
      }
    } catch (IOException e) {
      return null;
    }
    return super.getResourceAsStream(name);
  }

  /** Opens {@code obs-agent:/<name>} URLs: the resource of that name in the archive. */
  private final class ResourceUrls extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) {
      return new EntryConnection(url, archive);
    }
  }

  /** A connection to one entry of the archive. */
  static final class EntryConnection extends URLConnection {
    private final NestedArchive archive;

    EntryConnection(URL url, NestedArchive archive) {
      super(url);
      this.archive = archive;
    }

    @Override
    public void connect() {
      connected = true;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      byte[] bytes = archive.read(url.getPath().substring(1));
      if (bytes == null) {
        throw new FileNotFoundException(url.toString());
      }
      return new ByteArrayInputStream(bytes);
    }
  }
}
