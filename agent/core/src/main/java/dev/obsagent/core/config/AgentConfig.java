package dev.obsagent.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The agent's configuration, resolved once at start from (highest precedence first) the agent
 * argument, JVM system properties, environment variables, the {@code obs.config} properties file
 * and the built-in defaults.
 *
 * <p>A value that cannot be used is one warning naming the key (and the value, unless the key is
 * secret), and the default applies: a bad setting never stops the application.
 */
public final class AgentConfig {

  private final Map<String, String> agentArguments;
  private final Properties systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> configFile;
  private final List<String> warnings = new ArrayList<>();

  private AgentConfig(
      Map<String, String> agentArguments,
      Properties systemProperties,
      Map<String, String> environment,
      Map<String, String> configFile,
      List<String> loadWarnings) {
    this.agentArguments = agentArguments;
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.configFile = configFile;
    this.warnings.addAll(loadWarnings);
  }

  /** Reads every source; problems reading them are kept as warnings, see {@link #drainWarnings}. */
  public static AgentConfig load(
      String agentArgument, Properties systemProperties, Map<String, String> environment) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> arguments = parseAgentArgument(agentArgument, warnings);
    AgentConfig withoutFile =
        new AgentConfig(arguments, systemProperties, environment, Collections.emptyMap(), warnings);
    String configPath = withoutFile.raw(ConfigKeys.CONFIG_FILE);
    Map<String, String> fileValues = Collections.emptyMap();
    if (configPath != null && !configPath.trim().isEmpty()) {
      fileValues = readPropertiesFile(Paths.get(configPath.trim()), ConfigKeys.CONFIG_FILE, warnings);
    }
    return new AgentConfig(arguments, systemProperties, environment, fileValues, warnings);
  }

  /** For tests and embedded use: only these values and the defaults. */
  public static AgentConfig of(Map<String, String> values) {
    return new AgentConfig(
        new LinkedHashMap<>(values), new Properties(), Collections.emptyMap(), Collections.emptyMap(), Collections.emptyList());
  }

  /**
   * The agent argument is a properties-file path, or {@code key=value} pairs separated by commas.
   * A comma-separated piece that does not start a new {@code obs.} or {@code otel.} key continues
   * the previous value, so lists such as {@code obs.servlet.exclude-paths=/health,/ready} work.
   */
  static Map<String, String> parseAgentArgument(String argument, List<String> warnings) {
    Map<String, String> values = new LinkedHashMap<>();
    if (argument == null || argument.trim().isEmpty()) {
      return values;
    }
    String trimmed = argument.trim();
    if (trimmed.indexOf('=') < 0) {
      return readPropertiesFile(Paths.get(trimmed), "the agent argument", warnings);
    }
    String lastKey = null;
    for (String piece : trimmed.split(",")) {
      int equals = piece.indexOf('=');
      String candidateKey = equals < 0 ? "" : piece.substring(0, equals).trim();
      boolean startsKey = candidateKey.startsWith("obs.") || candidateKey.startsWith("otel.");
      if (startsKey) {
        lastKey = candidateKey;
        values.put(lastKey, piece.substring(equals + 1).trim());
      } else if (lastKey != null) {
        values.put(lastKey, values.get(lastKey) + "," + piece.trim());
      } else {
        warnings.add("agent argument piece '" + piece.trim() + "' is not a key=value pair; it is ignored");
      }
    }
    return values;
  }

  private static Map<String, String> readPropertiesFile(Path path, String origin, List<String> warnings) {
    Map<String, String> values = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(path);
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      for (String name : properties.stringPropertyNames()) {
        values.put(name.trim(), properties.getProperty(name).trim());
      }
    } catch (IOException | IllegalArgumentException e) {
      warnings.add("cannot read the properties file " + path + " named by " + origin + ": " + e.getMessage());
    }
    return values;
  }

  /** The value as given by the highest-precedence source that has it, or null. */
  public String raw(String key) {
    String value = agentArguments.get(key);
    if (value == null) {
      value = systemProperties.getProperty(key);
    }
    if (value == null) {
      value = environment.get(ConfigKeys.environmentName(key));
    }
    if (value == null) {
      value = configFile.get(key);
    }
    return value;
  }

  public String getString(String key, String defaultValue) {
    String value = raw(key);
    return value == null || value.trim().isEmpty() ? defaultValue : value.trim();
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        warnBadValue(key, value, "expected true or false", String.valueOf(defaultValue));
        return defaultValue;
    }
  }

  public int getInt(String key, int defaultValue, int min, int max) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) {
        warnBadValue(key, value, "expected a number from " + min + " to " + max, String.valueOf(defaultValue));
        return defaultValue;
      }
      return parsed;
    } catch (NumberFormatException e) {
      warnBadValue(key, value, "not a number", String.valueOf(defaultValue));
      return defaultValue;
    }
  }

  /** Comma-separated values, trimmed, empty ones dropped. */
  public List<String> getList(String key) {
    String value = raw(key);
    List<String> items = new ArrayList<>();
    if (value == null) {
      return items;
    }
    for (String item : value.split(",")) {
      if (!item.trim().isEmpty()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  /** {@code k=v,k=v}; a piece without {@code =} is a warning and skipped. */
  public Map<String, String> getMap(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String item : getList(key)) {
      int equals = item.indexOf('=');
      if (equals <= 0) {
        warnBadEntry(key, item, "expected key=value");
        continue;
      }
      map.put(item.substring(0, equals).trim(), item.substring(equals + 1).trim());
    }
    return map;
  }

  /** Records a warning naming the key, and the value unless the key is secret. */
  public void warnBadValue(String key, String value, String problem, String fallback) {
    warnings.add("invalid value " + shown(key, value) + " for " + key + " (" + problem + "); using " + fallback);
  }

  /** For list-valued keys: one unusable entry is skipped, the others apply. */
  public void warnBadEntry(String key, String entry, String problem) {
    warnings.add("invalid entry " + shown(key, entry) + " in " + key + " (" + problem + "); it is skipped");
  }

  private static String shown(String key, String value) {
    return ConfigKeys.isSecret(key) ? "(value hidden)" : "'" + value + "'";
  }

  /** Warns about every {@code obs.*} key, in any source, that the agent does not know. */
  public void checkForUnknownKeys() {
    List<String> candidates = new ArrayList<>(agentArguments.keySet());
    candidates.addAll(configFile.keySet());
    for (String name : systemProperties.stringPropertyNames()) {
      candidates.add(name);
    }
    for (String key : candidates) {
      if (key.startsWith("obs.") && !ConfigKeys.isKnownObsKey(key)) {
        warnings.add("unknown configuration key " + key + "; it is ignored");
      }
    }
    List<String> knownEnvironmentNames = new ArrayList<>();
    for (String key : ConfigKeys.knownObsKeys()) {
      knownEnvironmentNames.add(ConfigKeys.environmentName(key));
    }
    for (String name : environment.keySet()) {
      if (name.startsWith("OBS_") && !knownEnvironmentNames.contains(name)) {
        warnings.add("unknown configuration environment variable " + name + "; it is ignored");
      }
    }
  }

  /** Hands every warning collected so far to the consumer, once. */
  public void drainWarnings(Consumer<String> consumer) {
    List<String> pending = new ArrayList<>(warnings);
    warnings.clear();
    pending.forEach(consumer);
  }
}
