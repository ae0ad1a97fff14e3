package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.instrumentation.jdbc.util.BoundedCache;
import dev.obsagent.instrumentation.jdbc.util.WeakIdentityMap;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@link ConnectionInfo} of each connection, worked out at its first statement and kept
 * (weakly) for as long as the connection lives. Pools hand out a new wrapper per borrow, so the
 * parsed URL is also cached by its text: a borrow costs one {@code getMetaData().getURL()}.
 */
final class ConnectionInfos {

  private static final int MAX_URLS = 64;
  private static final long MAX_URL_CHARS = 64 * 1024;

  private final WeakIdentityMap<Connection, ConnectionInfo> byConnection = new WeakIdentityMap<>();
  private final BoundedCache<String, ConnectionInfo> byUrl = new BoundedCache<>(MAX_URLS, MAX_URL_CHARS);

  /** The facts of the connection a statement belongs to. */
  ConnectionInfo of(Statement statement) {
    try {
      return of(statement.getConnection());
    } catch (SQLException | RuntimeException closedOrUnsupported) {
      return ConnectionInfo.UNKNOWN;
    }
  }

  ConnectionInfo of(Connection connection) {
    if (connection == null) {
      return ConnectionInfo.UNKNOWN;
    }
    ConnectionInfo info = byConnection.get(connection);
    if (info == null) {
      info = fromUrl(urlOf(connection));
      byConnection.put(connection, info);
    }
    return info;
  }

  private ConnectionInfo fromUrl(String url) {
    if (url == null) {
      return ConnectionInfo.UNKNOWN;
    }
    ConnectionInfo info = byUrl.get(url);
    if (info == null) {
      info = JdbcUrlParser.parse(url);
      byUrl.put(url, info, url.length());
    }
    return info;
  }

  /** The URL the driver reports; a local call in every common driver (no round trip). */
  private static String urlOf(Connection connection) {
    try {
      DatabaseMetaData metaData = connection.getMetaData();
      return metaData == null ? null : metaData.getURL();
    } catch (SQLException | RuntimeException closedOrUnsupported) {
      return null;
    }
  }
}
