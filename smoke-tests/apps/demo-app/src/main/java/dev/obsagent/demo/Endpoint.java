package dev.obsagent.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A servlet whose GET is one lambda, so DemoApp reads as a table of endpoints. */
final class Endpoint extends HttpServlet {

  /** What one endpoint does with a GET. */
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
  }

  private final transient Handler handler;

  private Endpoint(Handler handler) {
    this.handler = handler;
  }

  static Endpoint of(Handler handler) {
    return new Endpoint(handler);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    handler.handle(request, response);
  }

  static void text(HttpServletResponse response, String body) throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(body);
  }

  static void json(HttpServletResponse response, String body) throws IOException {
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().write(body);
  }

  /** A JSON string literal; the path comes from the client, so it is escaped. */
  static String jsonString(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
