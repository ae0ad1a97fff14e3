package dev.obsagent.core.install;

import java.util.Collections;
import java.util.Set;

/**
 * Types the agent never transforms, told apart by name alone (no hierarchy walk): the agent's own
 * classes, its relocated libraries, other agents, and JDK internals. Checked for every class the
 * JVM loads, so it is a plain prefix scan.
 *
 * <p>The one exception is {@link #WOVEN_JDK_TYPES}: JDK classes that an instrumentation module
 * weaves all the same. Their advice may call only the bridge on the bootstrap class path.
 */
final class IgnoredTypes {

  /**
   * JDK classes woven despite the {@code java.}/{@code jdk.} prefixes below: the one funnel of
   * {@code java.net.http.HttpClient.send}/{@code sendAsync} (module {@code java-http-client}).
   */
  static final Set<String> WOVEN_JDK_TYPES = Collections.singleton("jdk.internal.net.http.HttpClientImpl");

  private static final String[] IGNORED_PREFIXES = {
    // The agent's own code and injected helpers; not "dev.obsagent." as a whole, so that
    // applications (the demo apps, the tests' own servlets) in other subpackages are woven.
    "dev.obsagent.bootstrap.",
    "dev.obsagent.launcher.",
    "dev.obsagent.core.",
    "dev.obsagent.shaded.",
    "dev.obsagent.instrumentation.",
    "dev.obsagent.testing.",
    "net.bytebuddy.",
    "io.opentelemetry.javaagent.",
    "co.elastic.apm.",
    "datadog.",
    "com.datadog.",
    "com.newrelic.",
    "com.dynatrace.",
    "org.glowroot.",
    "java.",
    "jdk.",
    "sun.",
    "com.sun.",
    "org.jetbrains.",
    "org.gradle.",
    "org.apache.maven.",
    "org.junit.",
  };

  /** The same prefixes in the JVM's internal form ({@code java/}), for {@link #ignoresInternalName}. */
  private static final String[] IGNORED_INTERNAL_PREFIXES = new String[IGNORED_PREFIXES.length];

  static {
    for (int i = 0; i < IGNORED_PREFIXES.length; i++) {
      IGNORED_INTERNAL_PREFIXES[i] = IGNORED_PREFIXES[i].replace('.', '/');
    }
  }

  private final Set<String> wovenJdkInternalNames = new java.util.HashSet<>();

  /** @param wovenJdkTypes {@link #WOVEN_JDK_TYPES}, or none when the bridge is not on the bootstrap path */
  IgnoredTypes(Set<String> wovenJdkTypes) {
    for (String name : wovenJdkTypes) {
      wovenJdkInternalNames.add(name.replace('.', '/'));
    }
  }

  /** For a name as the JVM passes it to a transformer ({@code a/b/C}). */
  boolean ignoresInternalName(String internalName) {
    return ignores(internalName, IGNORED_INTERNAL_PREFIXES, wovenJdkInternalNames);
  }

  private static boolean ignores(String name, String[] prefixes, Set<String> woven) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return !woven.contains(name);
      }
    }
    // Lambdas and other generated classes: nothing to instrument, and costly to describe.
    return name.contains("$$Lambda") || name.contains("$ByteBuddy$");
  }
}
