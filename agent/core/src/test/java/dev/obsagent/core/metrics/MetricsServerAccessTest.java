package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code obs.metrics.auth.*} and {@code obs.metrics.tls.*}: a real side port, real HTTP(S) clients. */
class MetricsServerAccessTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final AgentLog log = new AgentLog(AgentLog.Level.INFO, new PrintStream(logged, true, StandardCharsets.UTF_8));
  private MetricsServer server;

  MetricsServerAccessTest() {
    new AgentMetrics(registry, 10).info("obs_agent_info", "test", Map.of("version", "t"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void basicAuthGuardsMetricsButNotHealth() throws Exception {
    server = start(Map.of("obs.metrics.auth.username", "prom", "obs.metrics.auth.password", "s3cret"));
    String base = "http://127.0.0.1:" + server.port();
    assertEquals(401, get(base + "/metrics", null).status);
    assertEquals(401, get(base + "/metrics", basic("prom", "wrong")).status);
    assertEquals(401, get(base + "/", null).status);
    Answer ok = get(base + "/metrics", basic("prom", "s3cret"));
    assertEquals(200, ok.status);
    assertTrue(ok.body.contains("obs_agent_info{version=\"t\"} 1"), ok.body);
    assertEquals(200, get(base + "/-/healthy", null).status);
  }

  @Test
  void bearerTokenAlone() throws Exception {
    server = start(Map.of("obs.metrics.auth.bearer-token", "tok-123"));
    String base = "http://127.0.0.1:" + server.port();
    assertEquals(401, get(base + "/metrics", "Bearer tok-124").status);
    assertEquals(401, get(base + "/metrics", basic("prom", "tok-123")).status);
    assertEquals(200, get(base + "/metrics", "Bearer tok-123").status);
  }

  @Test
  void halfMadeCredentialsKeepThePortClosedWithOneWarning() {
    server = start(Map.of("obs.metrics.auth.username", "prom"));
    assertNull(server);
    assertEquals(
        "[obs-agent] WARN obs.metrics.auth.username and obs.metrics.auth.password must be set together; "
            + "the metrics endpoint stays closed\n",
        logged.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tlsFromAKeystoreWithAuth(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("side-port.p12");
    Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "side-port", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, keytool.waitFor(), keytoolOutput);

    server = start(Map.of(
        "obs.metrics.tls.keystore", keystore.toString(), "obs.metrics.tls.keystore-password", "changeit",
        "obs.metrics.auth.bearer-token", "tok"));
    assertEquals("https", server.scheme());
    SSLContext trusting = trustOnly(keystore, "changeit".toCharArray());
    URL url = new URL("https://127.0.0.1:" + server.port() + "/metrics");
    HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
    connection.setSSLSocketFactory(trusting.getSocketFactory());
    connection.setRequestProperty("Authorization", "Bearer tok");
    assertEquals(200, connection.getResponseCode());
    try (InputStream in = connection.getInputStream()) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("obs_agent_info"));
    }
  }

  @Test
  void unreadableKeystoreKeepsThePortClosedNamingTheKey(@TempDir Path dir) throws IOException {
    Path garbage = Files.writeString(dir.resolve("not-a-keystore.p12"), "garbage");
    server = start(Map.of("obs.metrics.tls.keystore", garbage.toString()));
    assertNull(server);
    String line = logged.toString(StandardCharsets.UTF_8);
    assertTrue(line.startsWith("[obs-agent] WARN cannot load obs.metrics.tls.keystore='" + garbage + "' as PKCS12 ("), line);
    assertTrue(line.endsWith("; the metrics endpoint stays closed\n"), line);
  }

  private MetricsServer start(Map<String, String> settings) {
    return MetricsServer.start(AgentConfig.of(new HashMap<>(settings)), "127.0.0.1", 0, registry, log);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static SSLContext trustOnly(Path keystore, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password);
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private static Answer get(String url, String authorization) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    if (authorization != null) {
      connection.setRequestProperty("Authorization", authorization);
    }
    int status = connection.getResponseCode();
    InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    connection.disconnect();
    return new Answer(status, body);
  }
}
