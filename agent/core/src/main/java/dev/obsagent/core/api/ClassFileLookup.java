package dev.obsagent.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the class file of a supertype, as a class loader would, without asking the JDK's loaders
 * about classes that cannot be theirs.
 *
 * <p>{@code ClassLoader.getResourceAsStream} asks the parents first, and the JDK's boot and
 * platform loaders answer a name outside their modules' packages only after searching every
 * module they hold: some 70 module-image lookups for each Tomcat or Spring class. A class whose
 * package is no JDK module's is looked up here only where the loader itself (or, for the
 * application class loader, its class path) keeps it, parents first. Anything not found that
 * way, and every loader of another kind, takes the usual way. Where a loader that searches its
 * own jars first (a web application's) and one of its parents both hold a class, the parent's
 * copy is read: only its header counts here, and the two differ only when they are different
 * versions of a library.
 */
final class ClassFileLookup {

  /**
   * Packages of the boot layer's modules ({@code java.lang}; an application's own too when it
   * runs on the module path): a class in one comes from its module whatever the class path holds,
   * so it is looked up the usual way. Dotted, as the modules hold them: the set shares their
   * strings instead of keeping some 1,100 slashed copies (50 KB) for the life of the JVM.
   */
  private static final Set<String> JDK_PACKAGES = jdkPackages();

  private static final ClassLoader SYSTEM_LOADER = ClassLoader.getSystemClassLoader();

  /** The application class loader's class path, opened on first use. */
  private static volatile ClassPathJars classPath;

  private ClassFileLookup() {}

  /** The class file's bytes, or null when the loader cannot find it. */
  static byte[] read(ClassLoader loader, String internalName) {
    String resource = internalName + ".class";
    try {
      byte[] classFile = isJdkPackage(internalName) ? null : readWithoutJdk(loader, resource);
      if (classFile != null) {
        return classFile;
      }
      try (InputStream in = lookupOf(loader).getResourceAsStream(resource)) {
        return in == null ? null : in.readAllBytes();
      }
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * The class file where a parent-first chain of URL class loaders above the application class
   * loader would find it, skipping the JDK's loaders; null when not found that way.
   */
  private static byte[] readWithoutJdk(ClassLoader loader, String resource) throws IOException {
    if (loader == SYSTEM_LOADER) {
      return classPath().read(resource);
    }
    if (loader instanceof URLClassLoader) {
      byte[] fromParents = readWithoutJdk(loader.getParent(), resource);
      if (fromParents != null) {
        return fromParents;
      }
      URL url = ((URLClassLoader) loader).findResource(resource);
      if (url != null) {
        try (InputStream in = url.openStream()) {
          return in.readAllBytes();
        }
      }
    }
    return null;
  }

  private static ClassLoader lookupOf(ClassLoader loader) {
    return loader == null ? ClassLoader.getPlatformClassLoader() : loader;
  }

  private static boolean isJdkPackage(String internalName) {
    int lastSlash = internalName.lastIndexOf('/');
    return lastSlash < 0 || JDK_PACKAGES.contains(internalName.substring(0, lastSlash).replace('/', '.'));
  }

  private static ClassPathJars classPath() {
    ClassPathJars jars = classPath;
    if (jars == null) {
      synchronized (ClassFileLookup.class) {
        jars = classPath;
        if (jars == null) {
          jars = ClassPathJars.open(System.getProperty("java.class.path", ""));
          classPath = jars;
        }
      }
    }
    return jars;
  }

  private static Set<String> jdkPackages() {
    Set<String> packages = new HashSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      packages.addAll(module.getPackages());
    }
    return packages;
  }
}
