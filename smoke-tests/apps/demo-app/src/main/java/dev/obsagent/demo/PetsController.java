package dev.obsagent.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An owner's pets from the H2 database, in three prepared statements, so that one request shows
 * as a SERVER span with three JDBC CLIENT spans under it: {@code INSERT audit_log},
 * {@code SELECT owners}, {@code SELECT pets}.
 *
 * <p>An unknown owner is a 404, told by the audit INSERT failing on its foreign key (SQLState
 * class 23): the database dashboard gets a failed statement from ordinary traffic.
 */
@RestController
public class PetsController {

  /** The literal 'list pets' shows as ? in db.query.text: the agent never records SQL literals. */
  static final String AUDIT = "INSERT INTO audit_log (owner_id, action) VALUES (?, 'list pets')";
  /**
   * With {@code ?note=}: the note goes into the SQL text as a literal, as some applications
   * still write it; the agent's db.query.text shows a ? for it all the same.
   */
  static final String AUDIT_WITH_NOTE = "INSERT INTO audit_log (owner_id, action, note) VALUES (?, 'list pets', '%s')";
  static final String OWNER = "SELECT name FROM owners WHERE id = ?";
  static final String PETS =
      "SELECT p.name, t.name FROM pets p JOIN types t ON t.id = p.type_id WHERE p.owner_id = ? ORDER BY p.name";

  /** SQLSTATE class 23: integrity constraint violation, here the audit row's missing owner. */
  private static final String CONSTRAINT_VIOLATION = "23";

  private final DataSource database;

  public PetsController(DataSource database) {
    this.database = database;
  }

  @GetMapping(path = "/owners/{ownerId}/pets", produces = "application/json")
  public ResponseEntity<String> pets(
      @PathVariable("ownerId") int ownerId, @RequestParam(name = "note", required = false) String note)
      throws SQLException {
    try (Connection connection = database.getConnection()) {
      try {
        audit(connection, ownerId, note);
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith(CONSTRAINT_VIOLATION)) {
          return ResponseEntity.status(HttpStatus.NOT_FOUND).body("{\"error\":\"no owner " + ownerId + "\"}");
        }
        throw e;
      }
      return ResponseEntity.ok(
          "{\"owner\":" + Endpoint.jsonString(ownerName(connection, ownerId)) + ",\"pets\":" + pets(connection, ownerId) + "}");
    }
  }

  private static void audit(Connection connection, int ownerId, String note) throws SQLException {
    String sql = note == null ? AUDIT : String.format(AUDIT_WITH_NOTE, note.replace("'", "''"));
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setInt(1, ownerId);
      insert.executeUpdate();
    }
  }

  private static String ownerName(Connection connection, int ownerId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(OWNER)) {
      select.setInt(1, ownerId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** A JSON array of {"name": ..., "type": ...}. */
  private static String pets(Connection connection, int ownerId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(PETS)) {
      select.setInt(1, ownerId);
      StringJoiner pets = new StringJoiner(",", "[", "]");
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          pets.add("{\"name\":" + Endpoint.jsonString(rows.getString(1)) + ",\"type\":" + Endpoint.jsonString(rows.getString(2)) + "}");
        }
      }
      return pets.toString();
    }
  }
}
