/**
 * LLM calls seen from the HTTP client underneath any SDK: tokens, cost, latency and time to
 * first chunk, with no code change. The flow, one class per step:
 *
 * <ol>
 *   <li>{@link dev.obsagent.instrumentation.llm.LlmCalls#recognize}: is this outgoing request an
 *       LLM API call? ({@code endpoint}: path shapes, provider hosts, {@code obs.llm.endpoints})
 *   <li>{@link dev.obsagent.instrumentation.llm.LlmCalls#start}: the call's span and clock start;
 *       {@link dev.obsagent.instrumentation.llm.RequestObserver} reads model and stream flag from
 *       the request body as it is written.
 *   <li>{@link dev.obsagent.instrumentation.llm.ResponseObserver} reads the response as the
 *       application reads it ({@code parse}: gzip, SSE / NDJSON / AWS event-stream framing,
 *       a long-string filter and Jackson's non-blocking parser; {@code provider}: one small class
 *       per provider that picks model, id, finish reasons and usage by path).
 *   <li>{@code telemetry}: the gen_ai metrics and span attributes of CONTRACT.md, priced by
 *       {@code pricing} (the built-in table and the {@code obs.llm.prices} file).
 * </ol>
 *
 * The HTTP-client weaving (java.net.http, OkHttp, Apache HttpClient) drives this API; it holds
 * no library types and never throws into the application.
 */
package dev.obsagent.instrumentation.llm;
