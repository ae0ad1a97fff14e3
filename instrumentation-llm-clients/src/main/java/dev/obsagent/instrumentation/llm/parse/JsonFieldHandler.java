package dev.obsagent.instrumentation.llm.parse;

/**
 * Receives the scalar values of a stream of JSON documents (one body, one SSE event, one NDJSON
 * line, one event-stream frame, or one element of a root array) as the parser meets them. It
 * picks the few it needs by path; everything else passes by without being turned into objects.
 */
public interface JsonFieldHandler {

  void onDocumentStart();

  /**
   * One scalar value. Both arguments are reused views, valid only during this call.
   *
   * @param path the field names from the document's root to this value; array items read {@link JsonPath#ITEM}
   */
  void onScalar(JsonPath path, JsonScalar value) throws java.io.IOException;
}
