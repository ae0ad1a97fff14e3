package dev.obsagent.jdbctest;

import dev.obsagent.testing.RequiresService;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** PostgreSQL on loopback (trust authentication, database {@code test}). */
@RequiresService(name = "PostgreSQL", port = 5432)
class PostgresInstrumentationTest extends JdbcInstrumentationContract {

  @Override
  String url() {
    return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  }

  @Override
  String system() {
    return "postgresql";
  }

  @Override
  String namespace() {
    return "test";
  }

  @Override
  String host() {
    return "127.0.0.1";
  }

  @Override
  long port() {
    return 5432;
  }

  @Override
  String largeTextType() {
    return "TEXT";
  }

  @Override
  void createAddRoutine(Statement statement) throws SQLException {
    statement.execute(
        "CREATE OR REPLACE FUNCTION jdbc_it_add(a integer, b integer) RETURNS integer"
            + " AS $$ SELECT a + b $$ LANGUAGE sql");
  }

  @Override
  String addCall() {
    return "{? = call jdbc_it_add(?, ?)}";
  }

  @Override
  int callAdd(CallableStatement call) throws SQLException {
    call.registerOutParameter(1, Types.INTEGER);
    call.setInt(2, 2);
    call.setInt(3, 3);
    call.execute();
    return call.getInt(1);
  }
}
