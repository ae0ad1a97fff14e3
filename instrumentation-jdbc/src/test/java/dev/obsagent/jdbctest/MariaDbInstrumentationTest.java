package dev.obsagent.jdbctest;

import dev.obsagent.testing.RequiresService;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** MariaDB on loopback (root, empty password, database {@code test}); a stored procedure with an OUT parameter. */
@RequiresService(name = "MariaDB", port = 3306)
class MariaDbInstrumentationTest extends JdbcInstrumentationContract {

  @Override
  String url() {
    return "jdbc:mariadb://127.0.0.1:3306/test?user=root";
  }

  @Override
  String system() {
    return "mariadb";
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
    return 3306;
  }

  @Override
  String largeTextType() {
    return "LONGTEXT";
  }

  @Override
  void createAddRoutine(Statement statement) throws SQLException {
    statement.execute("DROP PROCEDURE IF EXISTS jdbc_it_add");
    statement.execute("CREATE PROCEDURE jdbc_it_add(IN a INT, IN b INT, OUT s INT) BEGIN SET s = a + b; END");
  }

  @Override
  String addCall() {
    return "{call jdbc_it_add(?, ?, ?)}";
  }

  @Override
  int callAdd(CallableStatement call) throws SQLException {
    call.setInt(1, 2);
    call.setInt(2, 3);
    call.registerOutParameter(3, Types.INTEGER);
    call.execute();
    return call.getInt(3);
  }
}
