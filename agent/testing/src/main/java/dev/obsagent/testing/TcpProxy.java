package dev.obsagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a real service (PostgreSQL, Redis), for taking the service
 * away mid-run without touching it: {@link #cut()} closes every proxied connection and stops
 * listening, so new connections are refused as by a server that went down; {@link #restore()}
 * listens again on the same port. Bytes pass through unchanged, one thread per direction.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  /** Null while cut. */
  private volatile ServerSocket server;
  private Thread acceptor;

  private TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    ServerSocket first = bind(0);
    this.port = first.getLocalPort();
    listen(first);
  }

  /** Starts listening on a free loopback port, forwarding to {@code host:port}. */
  public static TcpProxy start(String host, int port) throws IOException {
    return new TcpProxy(host, port);
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /** Connections accepted and forwarded so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Closes every connection through the proxy and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    ServerSocket listening = server;
    server = null;
    closeQuietly(listening);
    // The JDK closes a listening socket that a thread is blocked on only once that thread
    // leaves accept(): until then the kernel would still complete new connections.
    if (acceptor != null) {
      try {
        acceptor.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      acceptor = null;
    }
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() throws IOException {
    if (server == null) {
      listen(bind(port));
    }
  }

  @Override
  public void close() {
    cut();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return socket;
  }

  private synchronized void listen(ServerSocket socket) {
    server = socket;
    acceptor = new Thread(() -> acceptLoop(socket), "tcp-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop(ServerSocket listening) {
    while (true) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException closed) {
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      if (server != listening) { // cut meanwhile
        closeQuietly(client);
        closeQuietly(upstream);
        return;
      }
      open.add(client);
      open.add(upstream);
      accepted.incrementAndGet();
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: the other goes too, below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-" + port + "-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
