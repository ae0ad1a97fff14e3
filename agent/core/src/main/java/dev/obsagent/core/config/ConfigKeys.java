package dev.obsagent.core.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every configuration key the agent knows, with its default. The README table mirrors this. */
public final class ConfigKeys {

  public static final String ENABLED = "obs.enabled";
  public static final String CONFIG_FILE = "obs.config";
  public static final String METRICS_ENABLED = "obs.metrics.enabled";
  public static final String METRICS_HOST = "obs.metrics.host";
  public static final String METRICS_PORT = "obs.metrics.port";
  public static final String METRICS_MAX_SERIES = "obs.metrics.max-series";
  public static final String METRICS_AUTH_USERNAME = "obs.metrics.auth.username";
  public static final String METRICS_AUTH_PASSWORD = "obs.metrics.auth.password";
  public static final String METRICS_AUTH_BEARER_TOKEN = "obs.metrics.auth.bearer-token";
  public static final String METRICS_TLS_KEYSTORE = "obs.metrics.tls.keystore";
  public static final String METRICS_TLS_KEYSTORE_PASSWORD = "obs.metrics.tls.keystore-password";
  public static final String METRICS_TLS_KEYSTORE_TYPE = "obs.metrics.tls.keystore-type";
  public static final String SERVLET_EXCLUDE_PATHS = "obs.servlet.exclude-paths";
  public static final String LLM_PRICES = "obs.llm.prices";
  public static final String LLM_CAPTURE_CONTENT = "obs.llm.capture-content";
  public static final String LLM_ENDPOINTS = "obs.llm.endpoints";
  public static final String LOG_LEVEL = "obs.log.level";
  public static final String EXCEPTIONS_CAPTURE_MESSAGE = "obs.exceptions.capture-message";

  public static final String SERVICE_NAME = "otel.service.name";
  public static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  public static final String TRACES_EXPORTER = "otel.traces.exporter";
  public static final String OTLP_ENDPOINT = "otel.exporter.otlp.endpoint";
  public static final String OTLP_TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
  public static final String OTLP_PROTOCOL = "otel.exporter.otlp.protocol";
  public static final String OTLP_TRACES_PROTOCOL = "otel.exporter.otlp.traces.protocol";
  public static final String OTLP_HEADERS = "otel.exporter.otlp.headers";
  public static final String OTLP_TRACES_HEADERS = "otel.exporter.otlp.traces.headers";
  public static final String OTLP_TIMEOUT = "otel.exporter.otlp.timeout";
  public static final String SAMPLER = "otel.traces.sampler";
  public static final String SAMPLER_ARG = "otel.traces.sampler.arg";
  public static final String PROPAGATORS = "otel.propagators";
  public static final String BSP_MAX_QUEUE_SIZE = "otel.bsp.max.queue.size";
  public static final String BSP_MAX_EXPORT_BATCH_SIZE = "otel.bsp.max.export.batch.size";
  public static final String BSP_SCHEDULE_DELAY = "otel.bsp.schedule.delay";

  /** The instrumentation names of CONTRACT.md; {@code obs.instrumentation.<name>.enabled}. */
  public static final List<String> INSTRUMENTATION_NAMES =
      Collections.unmodifiableList(
          Arrays.asList(
              "servlet", "jdbc", "jedis", "java-http-client", "okhttp", "apache-httpclient", "llm"));

  private static final Set<String> OBS_KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              Arrays.asList(
                  ENABLED,
                  CONFIG_FILE,
                  METRICS_ENABLED,
                  METRICS_HOST,
                  METRICS_PORT,
                  METRICS_MAX_SERIES,
                  METRICS_AUTH_USERNAME,
                  METRICS_AUTH_PASSWORD,
                  METRICS_AUTH_BEARER_TOKEN,
                  METRICS_TLS_KEYSTORE,
                  METRICS_TLS_KEYSTORE_PASSWORD,
                  METRICS_TLS_KEYSTORE_TYPE,
                  SERVLET_EXCLUDE_PATHS,
                  LLM_PRICES,
                  LLM_CAPTURE_CONTENT,
                  LLM_ENDPOINTS,
                  LOG_LEVEL,
                  EXCEPTIONS_CAPTURE_MESSAGE)));

  private ConfigKeys() {}

  public static String instrumentationEnabledKey(String name) {
    return "obs.instrumentation." + name + ".enabled";
  }

  /** True for every {@code obs.*} key the agent understands. */
  public static boolean isKnownObsKey(String key) {
    if (OBS_KEYS.contains(key)) {
      return true;
    }
    for (String name : INSTRUMENTATION_NAMES) {
      if (key.equals(instrumentationEnabledKey(name))) {
        return true;
      }
    }
    return false;
  }

  /** All known obs keys, instrumentation switches included. */
  public static Set<String> knownObsKeys() {
    Set<String> keys = new LinkedHashSet<>(OBS_KEYS);
    for (String name : INSTRUMENTATION_NAMES) {
      keys.add(instrumentationEnabledKey(name));
    }
    return keys;
  }

  /** Values of these keys are never logged: they may carry credentials. */
  public static boolean isSecret(String key) {
    return key.contains("headers")
        || key.contains("password")
        || key.contains("token")
        || key.contains("secret");
  }

  /** {@code obs.metrics.port} becomes {@code OBS_METRICS_PORT}. */
  public static String environmentName(String key) {
    StringBuilder name = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      name.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return name.toString();
  }
}
