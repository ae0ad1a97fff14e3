package dev.obsagent.core.install;

import java.io.IOException;
import java.io.InputStream;

/** Class files of the agent's own classes (advice, helpers), read as bytes from its loader. */
final class AgentClassFiles {

  private AgentClassFiles() {}

  /** @throws IOException when the class is not there or cannot be read */
  static byte[] read(ClassLoader agentLoader, String className) throws IOException {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = agentLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(className + " is missing from the agent");
      }
      return in.readAllBytes();
    }
  }
}
