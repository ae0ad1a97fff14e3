package dev.obsagent.instrumentation.llm.endpoint;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code obs.llm.endpoints}: {@code baseUrl=provider} pairs for gateways and self-hosted servers.
 * A base URL matches a request to the same host and port whose path starts with the base path
 * at a segment boundary ({@code /openai} matches {@code /openai/v1/...}, not
 * {@code /openai-faults/...}); the longest base path wins.
 */
public final class ConfiguredEndpoints {

  /** One configured base URL. */
  static final class BaseUrl {
    final String host;
    final int port;
    final String pathPrefix;
    final String provider;

    BaseUrl(String host, int port, String pathPrefix, String provider) {
      this.host = host;
      this.port = port;
      this.pathPrefix = pathPrefix;
      this.provider = provider;
    }

    boolean matches(String requestHost, int requestPort, String path) {
      return port == requestPort
          && host.equalsIgnoreCase(requestHost)
          && path.startsWith(pathPrefix)
          && (path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/');
    }
  }

  public static final ConfiguredEndpoints NONE = new ConfiguredEndpoints(Collections.emptyList());

  private final BaseUrl[] endpoints;

  private ConfiguredEndpoints(List<BaseUrl> endpoints) {
    List<BaseUrl> sorted = new ArrayList<>(endpoints);
    sorted.sort(Comparator.comparingInt((BaseUrl e) -> e.pathPrefix.length()).reversed());
    this.endpoints = sorted.toArray(new BaseUrl[0]);
  }

  /** Reads {@code obs.llm.endpoints}; an entry that is not a usable URL is one warning and skipped. */
  public static ConfiguredEndpoints fromConfig(AgentConfig config) {
    Map<String, String> pairs = config.getMap(ConfigKeys.LLM_ENDPOINTS);
    List<BaseUrl> endpoints = new ArrayList<>();
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      BaseUrl endpoint = parse(pair.getKey(), pair.getValue());
      if (endpoint == null) {
        config.warnBadEntry(
            ConfigKeys.LLM_ENDPOINTS, pair.getKey() + "=" + pair.getValue(),
            "expected http(s)://host[:port][/path]=provider");
      } else {
        endpoints.add(endpoint);
      }
    }
    return new ConfiguredEndpoints(endpoints);
  }

  static BaseUrl parse(String baseUrl, String provider) {
    if (provider == null || provider.trim().isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(baseUrl.trim());
      String scheme = uri.getScheme();
      if (uri.getHost() == null || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return null;
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      int port = LlmEndpoints.portOrDefault(scheme, uri.getPort());
      return new BaseUrl(uri.getHost(), port, path, provider.trim().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The provider configured for this request, or null. */
  String providerFor(String host, int port, String path) {
    for (BaseUrl endpoint : endpoints) {
      if (endpoint.matches(host, port, path)) {
        return endpoint.provider;
      }
    }
    return null;
  }

  int size() {
    return endpoints.length;
  }
}
