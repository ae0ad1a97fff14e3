package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * amtool on alertmanager.yml: the configuration and its templates load, and every case of
 * routes.test.yml reaches exactly the receivers it names. AlertmanagerInhibitionTest proves the
 * inhibitions against a running Alertmanager.
 */
@RequiresBinary(value = "amtool", install = "apt-get install prometheus-alertmanager")
class AlertmanagerConfigTest {

  private static final Path DIR = Monitoring.file("alertmanager");
  private static final Path CONFIG = DIR.resolve("alertmanager.yml");

  @Test
  void configAndTemplatesAreValid() {
    Command.Result result = amtool("check-config", "alertmanager.yml");
    assertTrue(result.output().contains("1 templates"), "the notification templates were not loaded:\n" + result.output());
  }

  @TestFactory
  Stream<DynamicTest> everyRouteCaseReachesItsReceivers() {
    JsonNode cases = Monitoring.yaml(DIR.resolve("routes.test.yml")).path("cases");
    assertTrue(cases.size() > 0, "routes.test.yml has no cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      List<String> receivers = new ArrayList<>();
      c.path("receivers").forEach(r -> receivers.add(r.asText()));
      List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=alertmanager.yml",
          "--verify.receivers=" + String.join(",", receivers)));
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("labels").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        args.add(label.getKey() + "=" + label.getValue().asText());
      }
      tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> amtool(args.toArray(String[]::new))));
    }
    return tests.stream();
  }

  /** Every receiver is used by a route and every route's receiver exists. */
  @Test
  void everyReceiverIsRoutedTo() {
    JsonNode config = Monitoring.yaml(CONFIG);
    Set<String> defined = new java.util.TreeSet<>();
    config.path("receivers").forEach(r -> defined.add(r.path("name").asText()));
    Set<String> used = new java.util.TreeSet<>();
    collectReceivers(config.path("route"), used);
    assertEquals(defined, used);
  }

  /**
   * Secrets come from files (mounted from a git-ignored folder or a Kubernetes Secret), never
   * from this file: no secret-bearing key is set inline.
   */
  @Test
  void noSecretIsWrittenInTheFile() {
    Set<String> secretKeys = Set.of("slack_api_url", "api_url", "smtp_auth_password", "auth_password",
        "routing_key", "service_key", "credentials", "password", "bearer_token", "auth_token", "api_key");
    List<String> inline = new ArrayList<>();
    findKeys(Monitoring.yaml(CONFIG), "", secretKeys, inline);
    assertEquals(List.of(), inline, "secrets written inline; use the *_file form");
  }

  private static void collectReceivers(JsonNode route, Set<String> into) {
    if (route.has("receiver")) {
      into.add(route.get("receiver").asText());
    }
    route.path("routes").forEach(child -> collectReceivers(child, into));
  }

  private static void findKeys(JsonNode node, String path, Set<String> keys, List<String> found) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (keys.contains(field.getKey())) {
          found.add(path + "/" + field.getKey());
        }
        findKeys(field.getValue(), path + "/" + field.getKey(), keys, found);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        findKeys(node.get(i), path + "[" + i + "]", keys, found);
      }
    }
  }

  private static Command.Result amtool(String... args) {
    List<String> command = new ArrayList<>(List.of("amtool"));
    command.addAll(List.of(args));
    Command.Result result = Command.run(DIR, command).assertSuccess();
    System.out.println(String.join(" ", command) + "\n" + result.output());
    return result;
  }
}
