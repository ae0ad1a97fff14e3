package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.instrumentation.jdbc.sql.SqlDialect;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the database system, server address, port and database name from a JDBC URL, without
 * regular expressions. User names and passwords that URLs may carry ({@code user:pw@host},
 * Oracle's {@code scott/tiger@host}) are skipped, never returned. Runs once per connection URL.
 */
final class JdbcUrlParser {

  /** One JDBC sub-protocol: the system it names, its default port and its SQL dialect. */
  private static final class Database {
    final String system;
    final int defaultPort;
    final SqlDialect dialect;

    Database(String system, int defaultPort, SqlDialect dialect) {
      this.system = system;
      this.defaultPort = defaultPort;
      this.dialect = dialect;
    }
  }

  /**
   * By sub-protocol. Values follow the semantic conventions' {@code db.system.name}, except
   * {@code h2}, which CONTRACT.md pins (semconv now says {@code h2database}).
   */
  private static final Map<String, Database> DATABASES = new HashMap<>();

  static {
    add(new Database("postgresql", 5432, SqlDialect.ANSI), "postgresql", "pgsql");
    add(new Database("mysql", 3306, SqlDialect.MYSQL), "mysql");
    add(new Database("mariadb", 3306, SqlDialect.MYSQL), "mariadb");
    add(new Database("h2", 9092, SqlDialect.ANSI), "h2");
    add(new Database("oracle.db", 1521, SqlDialect.ANSI), "oracle");
    add(new Database("microsoft.sql_server", 1433, SqlDialect.SQLSERVER), "sqlserver", "jtds");
    add(new Database("ibm.db2", 50000, SqlDialect.ANSI), "db2", "as400");
    add(new Database("hsqldb", 9001, SqlDialect.ANSI), "hsqldb");
    add(new Database("derby", 1527, SqlDialect.ANSI), "derby");
    add(new Database("sqlite", -1, SqlDialect.ANSI), "sqlite");
    // ClickHouse strings take backslash escapes, as MySQL's do.
    add(new Database("clickhouse", 8123, SqlDialect.MYSQL), "clickhouse", "ch");
    add(new Database("aws.redshift", 5439, SqlDialect.ANSI), "redshift");
    add(new Database("trino", 8080, SqlDialect.ANSI), "trino");
    add(new Database("sap.hana", 30015, SqlDialect.ANSI), "sap");
    add(new Database("firebirdsql", 3050, SqlDialect.ANSI), "firebirdsql");
    add(new Database("ibm.informix", 9088, SqlDialect.ANSI), "informix-sqli");
  }

  /** Drivers that wrap another one's URL: {@code jdbc:p6spy:mysql://...}. */
  private static final String[] WRAPPERS = {"p6spy:", "log4jdbc:", "otel:"};

  private JdbcUrlParser() {}

  private static void add(Database database, String... subProtocols) {
    for (String subProtocol : subProtocols) {
      DATABASES.put(subProtocol, database);
    }
  }

  static ConnectionInfo parse(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return ConnectionInfo.UNKNOWN;
    }
    String rest = url.substring(5);
    for (String wrapper : WRAPPERS) {
      if (rest.regionMatches(true, 0, wrapper, 0, wrapper.length())) {
        rest = rest.substring(wrapper.length());
      }
    }
    int colon = rest.indexOf(':');
    String subProtocol = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    Database database = DATABASES.get(subProtocol);
    if (database == null) {
      return ConnectionInfo.UNKNOWN;
    }
    String location = colon < 0 ? "" : rest.substring(colon + 1);
    if (database.system.equals("oracle.db")) {
      return oracle(database, location);
    }
    int slashes = location.indexOf("//");
    if (slashes < 0) {
      return embedded(database, location);
    }
    return networked(database, location.substring(slashes + 2), database.system.equals("microsoft.sql_server"));
  }

  /** {@code host[:port][,host2...][/database][?|;properties]}, after the {@code //}. */
  private static ConnectionInfo networked(Database database, String authorityAndPath, boolean sqlServer) {
    int authorityEnd = indexOfAny(authorityAndPath, "/?;", 0);
    String authority = authorityAndPath.substring(0, authorityEnd);
    authority = authority.substring(authority.lastIndexOf('@') + 1); // user:password@
    int comma = authority.indexOf(',');
    String firstHost = comma < 0 ? authority : authority.substring(0, comma);
    String host;
    int port = database.defaultPort;
    int portColon;
    if (firstHost.startsWith("[")) { // [ipv6]:port
      int close = firstHost.indexOf(']');
      host = close < 0 ? firstHost.substring(1) : firstHost.substring(1, close);
      portColon = close < 0 ? -1 : firstHost.indexOf(':', close);
    } else {
      portColon = firstHost.indexOf(':');
      host = portColon < 0 ? firstHost : firstHost.substring(0, portColon);
    }
    if (portColon >= 0) {
      port = parsePort(firstHost.substring(portColon + 1), port);
    }
    int backslash = host.indexOf('\\'); // SQL Server host\instance
    if (backslash >= 0) {
      host = host.substring(0, backslash);
    }
    if (host.indexOf('(') >= 0 || host.indexOf('=') >= 0) {
      host = ""; // MySQL's address=(host=...) form: not worth a parser of its own
      port = -1;
    }
    String namespace;
    if (sqlServer) {
      namespace = property(authorityAndPath, "databaseName", "database");
    } else if (authorityEnd < authorityAndPath.length() && authorityAndPath.charAt(authorityEnd) == '/') {
      namespace = lastSegment(authorityAndPath.substring(authorityEnd + 1, indexOfAny(authorityAndPath, "?;", authorityEnd)));
    } else {
      namespace = "";
    }
    return new ConnectionInfo(database.system, database.dialect, host, host.isEmpty() ? -1 : port, namespace);
  }

  /** {@code mem:name}, {@code file:/path/name}, {@code ~/name;options}: no server. */
  private static ConnectionInfo embedded(Database database, String location) {
    String path = location.substring(0, indexOfAny(location, "?;", 0));
    int typeColon = path.indexOf(':');
    if (typeColon >= 0 && typeColon > 1) { // mem:, file:, memory: (not a Windows drive C:)
      path = path.substring(typeColon + 1);
    }
    return new ConnectionInfo(database.system, database.dialect, "", -1, lastSegment(path));
  }

  /**
   * {@code thin:@host:port:SID}, {@code thin:@//host:port/service}, {@code thin:user/pw@host...}
   * and TNS descriptors {@code thin:@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=p))(CONNECT_DATA=...))}.
   */
  private static ConnectionInfo oracle(Database database, String location) {
    String target = location.substring(location.lastIndexOf('@') + 1);
    if (target.startsWith("(")) {
      String host = descriptorValue(target, "HOST=");
      int port = parsePort(descriptorValue(target, "PORT="), database.defaultPort);
      String service = descriptorValue(target, "SERVICE_NAME=");
      return new ConnectionInfo(
          database.system, database.dialect, host, host.isEmpty() ? -1 : port,
          service.isEmpty() ? descriptorValue(target, "SID=") : service);
    }
    if (target.startsWith("//")) {
      target = target.substring(2);
    }
    int hostEnd = indexOfAny(target, ":/", 0);
    String host = target.substring(0, hostEnd);
    int port = database.defaultPort;
    int nameStart = hostEnd;
    if (hostEnd < target.length() && target.charAt(hostEnd) == ':') {
      int portEnd = indexOfAny(target, ":/?", hostEnd + 1);
      port = parsePort(target.substring(hostEnd + 1, portEnd), port);
      nameStart = portEnd;
    }
    String namespace =
        nameStart < target.length() ? target.substring(nameStart + 1, indexOfAny(target, "?", nameStart)) : "";
    return new ConnectionInfo(database.system, database.dialect, host, host.isEmpty() ? -1 : port, namespace);
  }

  /** The value after {@code key} up to the next {@code )}, case-insensitively; or empty. */
  private static String descriptorValue(String descriptor, String key) {
    for (int i = 0; i + key.length() <= descriptor.length(); i++) {
      if (descriptor.regionMatches(true, i, key, 0, key.length())) {
        int start = i + key.length();
        return descriptor.substring(start, indexOfAny(descriptor, ")", start)).trim();
      }
    }
    return "";
  }

  /** {@code ;name=value} properties (SQL Server), the first of the given names found. */
  private static String property(String text, String... names) {
    for (String name : names) {
      String key = ";" + name + "=";
      for (int i = 0; i + key.length() <= text.length(); i++) {
        if (text.regionMatches(true, i, key, 0, key.length())) {
          int start = i + key.length();
          return text.substring(start, indexOfAny(text, ";", start));
        }
      }
    }
    return "";
  }

  private static String lastSegment(String path) {
    int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(cut + 1);
  }

  private static int parsePort(String text, int fallback) {
    if (text.isEmpty() || text.length() > 5) {
      return fallback;
    }
    int port = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return fallback;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535 ? port : fallback;
  }

  /** The index of the first of {@code chars} at or after {@code from}, or the length. */
  private static int indexOfAny(String text, String chars, int from) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }
}
