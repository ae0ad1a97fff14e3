package dev.obsagent.instrumentation.llm.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** The scalar the parser stands on, read only when a handler asks for it. A reused view. */
public final class JsonScalar {

  private JsonParser parser;
  private JsonToken token;

  void set(JsonParser parser, JsonToken token) {
    this.parser = parser;
    this.token = token;
  }

  public boolean isNull() {
    return token == JsonToken.VALUE_NULL;
  }

  public boolean isString() {
    return token == JsonToken.VALUE_STRING;
  }

  public boolean isTrue() {
    return token == JsonToken.VALUE_TRUE;
  }

  public boolean isBoolean() {
    return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
  }

  public boolean isWholeNumber() {
    return token == JsonToken.VALUE_NUMBER_INT;
  }

  /** The value of a whole number; token counts never need more than a long. */
  public long longValue() throws IOException {
    return parser.getLongValue();
  }

  /** The text of a string value (already cut to the filter's length). */
  public String text() throws IOException {
    return parser.getText();
  }
}
