package dev.obsagent.jdbctest;

import java.sql.CallableStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** Embedded H2: no server, so no {@code server.*} attributes. */
class H2InstrumentationTest extends JdbcInstrumentationContract {

  @Override
  String url() {
    return "jdbc:h2:mem:jdbc_it;DB_CLOSE_DELAY=-1";
  }

  @Override
  String system() {
    return "h2";
  }

  @Override
  String namespace() {
    return "jdbc_it";
  }

  @Override
  String host() {
    return "";
  }

  @Override
  long port() {
    return -1;
  }

  @Override
  String largeTextType() {
    return "CLOB";
  }

  @Override
  void createAddRoutine(Statement statement) throws SQLException {
    statement.execute("CREATE ALIAS IF NOT EXISTS jdbc_it_add FOR 'java.lang.Math.addExact(int, int)'");
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
