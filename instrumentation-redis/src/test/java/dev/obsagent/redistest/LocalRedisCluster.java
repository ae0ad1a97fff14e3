package dev.obsagent.redistest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A two-node Redis Cluster on loopback, started from the {@code redis-server} binary for one test
 * class and stopped by it: node 0 serves slots 0-8191, node 1 slots 8192-16383. Set up with raw
 * RESP, so that it does not depend on the Jedis line under test.
 */
final class LocalRedisCluster implements AutoCloseable {

  private static final int SLOTS = 16384;

  private final Path directory;
  private final List<Process> servers = new ArrayList<>();
  private final int[] ports = new int[2];

  private LocalRedisCluster(Path directory) {
    this.directory = directory;
  }

  /** Whether {@code redis-server} can be run here. */
  static boolean serverBinaryAvailable() {
    try {
      Process probe = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static LocalRedisCluster start() throws Exception {
    LocalRedisCluster cluster = new LocalRedisCluster(Files.createTempDirectory("obs-redis-cluster"));
    try {
      for (int i = 0; i < 2; i++) {
        cluster.ports[i] = cluster.startNode();
      }
      command(cluster.ports[0], "CLUSTER", "ADDSLOTSRANGE", "0", Integer.toString(SLOTS / 2 - 1));
      command(cluster.ports[1], "CLUSTER", "ADDSLOTSRANGE", Integer.toString(SLOTS / 2), Integer.toString(SLOTS - 1));
      command(cluster.ports[0], "CLUSTER", "MEET", "127.0.0.1", Integer.toString(cluster.ports[1]));
      cluster.awaitConverged();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  int port(int node) {
    return ports[node];
  }

  /** The port of the node that serves this slot. */
  int portServing(int slot) {
    return slot < SLOTS / 2 ? ports[0] : ports[1];
  }

  private int startNode() throws Exception {
    int port = freePortPair();
    Process server =
        new ProcessBuilder(
                "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                "--dir", directory.toString(), "--save", "", "--appendonly", "no")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("redis-" + port + ".log").toFile())
            .start();
    servers.add(server);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        if ("+PONG".equals(command(port, "PING"))) {
          return port;
        }
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("redis-server on " + port + " did not start: see " + directory, notYet);
        }
      }
      Thread.sleep(20);
    }
  }

  /** Both nodes know each other and all slots: the cluster serves. */
  private void awaitConverged() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      boolean ready = true;
      for (int port : ports) {
        String info = command(port, "CLUSTER", "INFO");
        ready &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:2");
      }
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the local cluster did not converge");
      }
      Thread.sleep(50);
    }
  }

  /** A node port whose cluster bus port (+10000) is free too. */
  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 30000);
      if (free(port) && free(port + 10000)) {
        return port;
      }
    }
    throw new IOException("no free port pair for a cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends one command; answers a status or error line as it came, or a bulk string's text. */
  static String command(int port, String... arguments) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
      for (String argument : arguments) {
        request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(argument).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null || !line.startsWith("$")) {
        return line;
      }
      char[] body = new char[Integer.parseInt(line.substring(1))];
      int read = 0;
      while (read < body.length) {
        read += in.read(body, read, body.length - read);
      }
      return new String(body);
    }
  }

  @Override
  public void close() throws IOException {
    for (Process server : servers) {
      server.destroy();
    }
    for (Process server : servers) {
      try {
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      } catch (InterruptedException e) {
        server.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
