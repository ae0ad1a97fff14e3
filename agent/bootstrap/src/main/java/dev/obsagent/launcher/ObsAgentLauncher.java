package dev.obsagent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.security.CodeSource;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>It does as little as possible in the application's class loader: it opens the agent's own
 * code in an isolated {@link AgentClassLoader} and hands over to {@code AgentStarter} there.
 * Nothing it does may stop the application from starting.
 */
public final class ObsAgentLauncher {

  private static final String STARTER = "dev.obsagent.core.AgentStarter";

  private ObsAgentLauncher() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    launch(agentArgs, instrumentation, false);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    launch(agentArgs, instrumentation, true);
  }

  private static void launch(String agentArgs, Instrumentation instrumentation, boolean attachedLate) {
    long startNanos = System.nanoTime();
    try {
      File agentJar = agentJar();
      ClassLoader agentLoader = new AgentClassLoader(agentJar, platformClassLoader());
      Class<?> starter = agentLoader.loadClass(STARTER);
      Method start =
          starter.getMethod(
              "start", Instrumentation.class, String.class, File.class, boolean.class, long.class);
      start.invoke(null, instrumentation, agentArgs, agentJar, attachedLate, startNanos);
    } catch (Throwable t) {
      // Last line of defence: the application starts without the agent.
      System.err.println("[obs-agent] ERROR the agent could not start, the application runs without it: " + t);
    }
  }

  private static File agentJar() throws URISyntaxException {
    CodeSource codeSource = ObsAgentLauncher.class.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new IllegalStateException("cannot locate the agent jar");
    }
    return new File(codeSource.getLocation().toURI());
  }

  /** The platform loader sees every JDK module (java.sql, jdk.httpserver) but no application class. */
  private static ClassLoader platformClassLoader() {
    return ClassLoader.getPlatformClassLoader();
  }
}
