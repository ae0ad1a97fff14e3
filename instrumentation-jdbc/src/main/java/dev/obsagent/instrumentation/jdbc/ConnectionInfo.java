package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.instrumentation.jdbc.sql.SqlDialect;

/** What the agent reports about the database behind a connection, worked out once from its URL. */
final class ConnectionInfo {

  /** The semantic-conventions value for a SQL database the agent cannot tell apart. */
  static final String OTHER_SQL = "other_sql";

  static final ConnectionInfo UNKNOWN = new ConnectionInfo(OTHER_SQL, SqlDialect.ANSI, "", -1, "");

  /** {@code db.system.name}: {@code postgresql}, {@code mariadb}, {@code h2}, ... */
  final String system;
  /** How the database lexes SQL, so literals are found where the database finds them. */
  final SqlDialect dialect;
  /** {@code server.address}, or empty for an embedded database or an unparsable URL. */
  final String host;
  /** {@code server.port} (the database's default when the URL names none), or -1. */
  final int port;
  /** {@code db.namespace}: the database name, or empty. */
  final String namespace;

  ConnectionInfo(String system, SqlDialect dialect, String host, int port, String namespace) {
    this.system = system;
    this.dialect = dialect;
    this.host = host;
    this.port = port;
    this.namespace = namespace;
  }

  @Override
  public String toString() {
    return system + "://" + host + ":" + port + "/" + namespace + " (" + dialect + ")";
  }
}
