package dev.obsagent.redisbench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Sockets to an in-memory stand-in for Redis that answers every command with the same bulk
 * string: a GET loop then costs the client's (and the agent's) own CPU time only, with no
 * system call or other process in the measurement. Only for {@link GetLoopBenchmark}.
 */
final class InMemoryRedisSockets implements JedisSocketFactory {

  private static final byte[] REPLY = "$5\r\nvalue\r\n".getBytes(StandardCharsets.US_ASCII);

  // Jedis 3.x's socket factory interface also asks for these; 4.0 dropped them.

  public void updateHostAndPort(redis.clients.jedis.HostAndPort hostAndPort) {}

  public String getDescription() {
    return "in-memory";
  }

  public String getHost() {
    return "in-memory";
  }

  public void setHost(String host) {}

  public int getPort() {
    return 0;
  }

  public void setPort(int port) {}

  public int getConnectionTimeout() {
    return 0;
  }

  public void setConnectionTimeout(int timeout) {}

  public int getSoTimeout() {
    return 0;
  }

  public void setSoTimeout(int timeout) {}

  @Override
  public Socket createSocket() {
    return new Socket() {
      private final InputStream replies = new InputStream() {
        private int position;

        @Override
        public int read() {
          byte next = REPLY[position];
          position = (position + 1) % REPLY.length;
          return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          for (int i = 0; i < length; i++) {
            buffer[offset + i] = (byte) read();
          }
          return length;
        }
      };
      private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] bytes, int offset, int length) {}
      };

      @Override
      public InputStream getInputStream() {
        return replies;
      }

      @Override
      public OutputStream getOutputStream() {
        return sink;
      }

      @Override
      public boolean isConnected() {
        return true;
      }

      @Override
      public boolean isBound() {
        return true;
      }
    };
  }
}
