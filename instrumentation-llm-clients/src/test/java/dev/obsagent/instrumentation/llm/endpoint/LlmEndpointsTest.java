package dev.obsagent.instrumentation.llm.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.config.AgentConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmEndpointsTest {

  private final LlmEndpoints builtIn = new LlmEndpoints(ConfiguredEndpoints.NONE);

  private static String describe(LlmRequestMatch match) {
    return match == null ? null
        : match.provider() + " " + match.operation() + " " + match.pathModel() + (match.pathStreams() ? " stream" : "");
  }

  private String recognize(String url) {
    java.net.URI uri = java.net.URI.create(url);
    return describe(builtIn.recognize("POST", uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath()));
  }

  @Test
  void providersByPathAndHost() {
    assertEquals("openai chat null", recognize("https://api.openai.com/v1/chat/completions"));
    assertEquals("openai text_completion null", recognize("https://api.openai.com/v1/completions"));
    assertEquals("openai chat null", recognize("https://api.openai.com/v1/responses"));
    assertEquals("openai embeddings null", recognize("https://api.openai.com/v1/embeddings"));
    assertEquals("azure.ai.openai chat my-gpt4o",
        recognize("https://acme.openai.azure.com/openai/deployments/my-gpt4o/chat/completions"));
    assertEquals("azure.ai.openai chat null", recognize("https://acme.openai.azure.com/openai/v1/chat/completions"));
    assertEquals("anthropic chat null", recognize("https://api.anthropic.com/v1/messages"));
    assertEquals("gcp.gemini generate_content gemini-2.5-flash",
        recognize("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"));
    assertEquals("gcp.gemini generate_content gemini-2.5-flash stream",
        recognize("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
    assertEquals("gcp.vertex_ai generate_content gemini-2.5-pro",
        recognize("https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent"));
    assertEquals("aws.bedrock chat us.anthropic.claude-3-5-haiku-20241022-v1:0",
        recognize("https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"));
    assertEquals("aws.bedrock chat amazon.nova-lite-v1:0 stream",
        recognize("https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse-stream"));
    assertEquals("mistral_ai chat null", recognize("https://api.mistral.ai/v1/chat/completions"));
    assertEquals("cohere chat null", recognize("https://api.cohere.com/v2/chat"));
    assertEquals("ollama chat null", recognize("http://localhost:11434/api/chat"));
    assertEquals("ollama text_completion null", recognize("http://ollama:8080/api/generate"));
    assertEquals("openai chat null", recognize("http://localhost:11434/v1/chat/completions"), "OpenAI-compatible");
    assertEquals("groq chat null", recognize("https://api.groq.com/openai/v1/chat/completions"));
  }

  @Test
  void otherRequestsAreNotLlmCalls() {
    assertNull(recognize("https://api.openai.com/v1/models"));
    assertNull(recognize("http://localhost:8080/owners/5"));
    assertNull(recognize("http://localhost:8080/api/chat"), "a generic path needs an Ollama host or an endpoint entry");
    assertNull(recognize("http://localhost:8080/v2/chat"));
    assertNull(builtIn.recognize("GET", "https", "api.openai.com", 443, "/v1/chat/completions"));
    assertNull(builtIn.recognize(null, "https", "api.openai.com", 443, null));
  }

  @Test
  void queryStringsAreIgnored() {
    assertEquals("gcp.gemini generate_content gemini-2.0-flash stream",
        describe(builtIn.recognize("POST", "https", "generativelanguage.googleapis.com", -1,
            "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")));
  }

  @Test
  void configuredEndpointsMatchBySegmentsLongestFirst() {
    List<String> warnings = new ArrayList<>();
    AgentConfig config = AgentConfig.of(Map.of("obs.llm.endpoints",
        "https://gw.internal/openai=openai,https://gw.internal/openai/claude=anthropic,"
            + "http://127.0.0.1:8089=ollama,http://127.0.0.1:8090/llm=cohere,not a url=x"));
    LlmEndpoints endpoints = new LlmEndpoints(ConfiguredEndpoints.fromConfig(config));
    config.drainWarnings(warnings::add);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("obs.llm.endpoints"));
    assertEquals("openai chat null",
        describe(endpoints.recognize("POST", "https", "gw.internal", 443, "/openai/v1/chat/completions")));
    assertEquals("anthropic chat null",
        describe(endpoints.recognize("POST", "https", "gw.internal", -1, "/openai/claude/v1/messages")));
    assertEquals("openai chat null",
        describe(endpoints.recognize("POST", "https", "gw.internal", -1, "/openai-faults/v1/chat/completions")),
        "/openai does not match /openai-faults: the path alone decides");
    assertEquals("ollama chat null", describe(endpoints.recognize("POST", "http", "127.0.0.1", 8089, "/api/chat")));
    assertEquals("cohere chat null", describe(endpoints.recognize("POST", "http", "127.0.0.1", 8090, "/llm/v2/chat")));
    assertNull(endpoints.recognize("POST", "http", "127.0.0.1", 8090, "/llm-other/v2/chat"));
    assertNull(endpoints.recognize("POST", "http", "127.0.0.1", 8091, "/api/chat"), "other port");
  }

  @Test
  void segmentBoundaryOfBaseUrls() {
    ConfiguredEndpoints.BaseUrl base = ConfiguredEndpoints.parse("https://gw/openai/", "openai");
    assertTrue(base.matches("gw", 443, "/openai"));
    assertTrue(base.matches("GW", 443, "/openai/v1/chat/completions"));
    assertFalse(base.matches("gw", 443, "/openai-faults/v1/chat/completions"));
    assertFalse(base.matches("gw", 8443, "/openai/v1/chat/completions"));
  }

  @Test
  void nonLlmUrlsAllocateNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 10_000; i++) { // warm up so the measurement sees compiled code
      builtIn.recognize("POST", "http", "localhost", 8080, "/owners/5/pets");
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      builtIn.recognize("POST", "http", "localhost", 8080, "/owners/5/pets");
      builtIn.recognize("GET", "https", "api.openai.com", 443, "/v1/chat/completions");
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 200000 non-LLM requests");
  }
}
