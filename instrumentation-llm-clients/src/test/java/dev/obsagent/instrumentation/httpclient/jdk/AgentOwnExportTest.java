package dev.obsagent.instrumentation.httpclient.jdk;

import static dev.obsagent.instrumentation.httpclient.jdk.TestAgent.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.tracing.TracingSetup;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent's OTLP exporter posts spans from an agent thread: those posts must make no span and no
 * metric (a span per export would be exported in turn, forever), while the same POST from an
 * application thread, with the JDK {@code HttpClient}, is measured as usual.
 */
class AgentOwnExportTest {

  private static final String COUNT = "http_client_request_duration_seconds_count";

  @Test
  void spanExportOverOtlpIsNotItselfMeasured() throws Exception {
    InProcessAgent agent = TestAgent.install();
    List<String> exports = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exports.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
    Map<String, String> posts =
        Scrape.labels("http_request_method", "POST", "server_address", "127.0.0.1", "http_response_status_code", "200", "error_type", "");
    try {
      agent.clearSpans();
      Scrape before = agent.scrape();
      // The agent's own export path, as production builds it.
      TracingSetup exporting =
          TracingSetup.create(AgentConfig.of(Map.of("otel.exporter.otlp.endpoint", endpoint)), Resource.empty(), AgentLog.get(), dropped -> { }, null);
      exporting.openTelemetry().getTracer("test").spanBuilder("exported").startSpan().end();
      for (int i = 0; i < 1000 && exports.isEmpty(); i++) {
        TestAgent.sleep(10);
      }
      TestAgent.sleep(200); // a measured send would end at the collector's answer: give it time
      exporting.shutdown();

      assertEquals(List.of("application/x-protobuf"), exports, "the span went out over OTLP");
      assertEquals(0, value(agent.scrape(), COUNT, posts) - value(before, COUNT, posts), "the export was measured");
      assertEquals(List.of(), clientSpansTo(agent, "/v1/traces"));

      // The same POST from the application's thread is measured: the instrumentation is live here.
      HttpResponse<Void> response =
          HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(URI.create(endpoint + "/v1/traces")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0})).build(),
              HttpResponse.BodyHandlers.discarding());
      assertEquals(200, response.statusCode());
      assertEquals(1, value(agent.scrape(), COUNT, posts) - value(before, COUNT, posts));
      assertEquals(1, clientSpansTo(agent, "/v1/traces").size());
      assertTrue(exports.size() == 2);
    } finally {
      collector.stop(0);
    }
  }

  private static List<SpanData> clientSpansTo(InProcessAgent agent, String path) {
    return agent.spans().stream()
        .filter(span -> String.valueOf(span.getAttributes().asMap().values()).contains(path))
        .collect(Collectors.toList());
  }
}
