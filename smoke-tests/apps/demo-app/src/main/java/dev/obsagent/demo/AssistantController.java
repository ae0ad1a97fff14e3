package dev.obsagent.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An assistant that answers questions about the pet clinic through an OpenAI-compatible chat API
 * with the JDK's own {@link HttpClient}, as a LangChain4j or hand-written client would: no SDK
 * and no agent API. The agent sees each call and records its tokens, cost and latency.
 *
 * <pre>
 *   /assistant/ask?q=...       one chat completion
 *   /assistant/stream?q=...    the same, streamed (server-sent events), with usage in the last chunk
 *   &amp;model=...                 another model name (an unknown one shows as an unpriced call)
 * </pre>
 *
 * The API is {@link DemoBackends#llmApi()}: the demo's own fake provider unless
 * {@code OPENAI_API_KEY} (and optionally {@code DEMO_LLM_BASE_URL}) point at a real one.
 */
@RestController
public class AssistantController {

  static final String DEFAULT_MODEL = "gpt-4o-mini";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final DemoBackends.LlmApi api;

  public AssistantController(DemoBackends.LlmApi api) {
    this.api = api;
  }

  @GetMapping(path = "/assistant/ask", produces = "application/json")
  public ResponseEntity<String> ask(
      @RequestParam(name = "q", defaultValue = "Which pets need a check-up?") String question,
      @RequestParam(name = "model", defaultValue = DEFAULT_MODEL) String model)
      throws IOException, InterruptedException {
    HttpResponse<String> answer = client.send(request(model, question, false), HttpResponse.BodyHandlers.ofString());
    return ResponseEntity.status(answer.statusCode() == 200 ? 200 : 502).body(answer.body());
  }

  @GetMapping(path = "/assistant/stream", produces = "text/plain")
  public ResponseEntity<String> stream(
      @RequestParam(name = "q", defaultValue = "Which pets need a check-up?") String question,
      @RequestParam(name = "model", defaultValue = DEFAULT_MODEL) String model)
      throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> answer =
        client.send(request(model, question, true), HttpResponse.BodyHandlers.ofLines());
    // Joins the deltas the way a chat UI would show them as they arrive.
    String text = answer.body()
        .filter(line -> line.startsWith("data: {"))
        .map(line -> FakeLlmProvider.jsonField(line, "content", ""))
        .collect(Collectors.joining());
    return ResponseEntity.status(answer.statusCode() == 200 ? 200 : 502).body(text + "\n");
  }

  private HttpRequest request(String model, String question, boolean stream) {
    String body = "{\"model\":\"" + jsonEscape(model) + "\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are the pet clinic's assistant.\"},"
        + "{\"role\":\"user\",\"content\":\"" + jsonEscape(question) + "\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    HttpRequest.Builder request = HttpRequest.newBuilder(url("/chat/completions"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (api.apiKey() != null) {
      request.header("Authorization", "Bearer " + api.apiKey());
    }
    return request.build();
  }

  /** The API path under the base URL, before the base URL's query string if it has one. */
  private URI url(String path) {
    String base = api.baseUrl();
    int query = base.indexOf('?');
    return URI.create(query < 0 ? base + path : base.substring(0, query) + path + base.substring(query));
  }

  private static String jsonEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        escaped.append('\\').append(c);
      } else if (c < 0x20) {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
