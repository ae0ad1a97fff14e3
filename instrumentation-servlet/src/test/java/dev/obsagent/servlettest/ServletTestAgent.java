package dev.obsagent.servlettest;

import dev.obsagent.testing.InProcessAgent;
import java.util.Map;

/**
 * The in-process agent of this module's tests. There is one per JVM and the first configuration
 * wins (woven classes stay woven), so every test class installs it through here.
 */
final class ServletTestAgent {

  private ServletTestAgent() {}

  static InProcessAgent install() {
    return InProcessAgent.install(Map.of("obs.servlet.exclude-paths", "/shop/health"));
  }
}
