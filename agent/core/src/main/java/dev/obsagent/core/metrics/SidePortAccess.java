package dev.obsagent.core.metrics;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Who may read the side port and over what: optional basic auth and/or a bearer token for
 * {@code /metrics} ({@code /-/healthy} stays open for liveness probes), and optional TLS from a
 * keystore. A half-made setting (a username without a password, a keystore that does not load)
 * is refused as a whole: the side port then stays closed rather than serve metrics to anyone.
 */
final class SidePortAccess {

  static final String HEALTH_PATH = "/-/healthy";

  /** Nothing configured: plain HTTP, open to all. */
  static final SidePortAccess OPEN = new SidePortAccess(null, null);

  private final Credentials credentials;
  private final HttpsConfigurator https;

  private SidePortAccess(Credentials credentials, HttpsConfigurator https) {
    this.credentials = credentials;
    this.https = https;
  }

  /** Null when the settings cannot be used; the problem is then in {@code problem[0]}. */
  static SidePortAccess fromConfig(AgentConfig config, String[] problem) {
    String username = config.getString(ConfigKeys.METRICS_AUTH_USERNAME, null);
    String password = config.getString(ConfigKeys.METRICS_AUTH_PASSWORD, null);
    String token = config.getString(ConfigKeys.METRICS_AUTH_BEARER_TOKEN, null);
    if ((username == null) != (password == null)) {
      problem[0] = ConfigKeys.METRICS_AUTH_USERNAME + " and " + ConfigKeys.METRICS_AUTH_PASSWORD + " must be set together";
      return null;
    }
    Credentials credentials = username == null && token == null ? null : new Credentials(username, password, token);
    HttpsConfigurator https = null;
    String keystore = config.getString(ConfigKeys.METRICS_TLS_KEYSTORE, null);
    if (keystore != null) {
      String keystorePassword = config.getString(ConfigKeys.METRICS_TLS_KEYSTORE_PASSWORD, "");
      String type = config.getString(ConfigKeys.METRICS_TLS_KEYSTORE_TYPE, "PKCS12");
      try {
        https = new HttpsConfigurator(sslContext(keystore, keystorePassword.toCharArray(), type));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        problem[0] = "cannot load " + ConfigKeys.METRICS_TLS_KEYSTORE + "='" + keystore + "' as " + type + " ("
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        return null;
      }
    }
    return credentials == null && https == null ? OPEN : new SidePortAccess(credentials, https);
  }

  /**
   * Always one, even without credentials: the JDK calls it as soon as a request head has been
   * read, which tells {@link SidePortExecutor}'s watchdog that this client is not stalling.
   */
  Authenticator authenticator() {
    return new Authenticator() {
      @Override
      public Result authenticate(HttpExchange exchange) {
        SidePortExecutor.requestHeadRead();
        return credentials == null ? new Success(SCRAPER) : credentials.check(exchange);
      }
    };
  }

  HttpsConfigurator https() {
    return https;
  }

  String describe() {
    String scheme = https == null ? "http" : "https";
    return credentials == null ? scheme : scheme + ", /metrics needs credentials";
  }

  private static SSLContext sslContext(String path, char[] password, String type)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Paths.get(path))) {
      store.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static final HttpPrincipal SCRAPER = new HttpPrincipal("scraper", "obs-agent");

  /** Basic credentials, a bearer token, or either; compared in constant time. */
  private static final class Credentials {
    private final byte[] basicHeader;
    private final byte[] bearerHeader;

    Credentials(String username, String password, String token) {
      this.basicHeader = username == null ? null : ("Basic " + Base64.getEncoder().encodeToString(
          (username + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
      this.bearerHeader = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    Authenticator.Result check(HttpExchange exchange) {
      if (HEALTH_PATH.equals(exchange.getRequestURI().getPath())) {
        return new Authenticator.Success(SCRAPER);
      }
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      if (header != null) {
        byte[] given = header.trim().getBytes(StandardCharsets.UTF_8);
        if ((basicHeader != null && MessageDigest.isEqual(given, basicHeader))
            || (bearerHeader != null && MessageDigest.isEqual(given, bearerHeader))) {
          return new Authenticator.Success(SCRAPER);
        }
      }
      exchange.getResponseHeaders().set("WWW-Authenticate", basicHeader != null ? "Basic realm=\"obs-agent\"" : "Bearer");
      return new Authenticator.Failure(401);
    }
  }
}
