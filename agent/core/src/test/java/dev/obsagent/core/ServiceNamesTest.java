package dev.obsagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServiceNamesTest {

  @Test
  void derivedFromTheJarWithoutItsVersion() {
    assertEquals("checkout", ServiceNames.fromCommand("/srv/app/checkout-2.1.0.jar --port 8080"));
    assertEquals("checkout", ServiceNames.fromCommand("checkout-2.1.0-SNAPSHOT.jar"));
    assertEquals("demo-app", ServiceNames.fromCommand("smoke-tests/apps/demo-app/target/demo-app.jar"));
  }

  @Test
  void derivedFromTheMainClassSimpleName() {
    assertEquals("BillingApp", ServiceNames.fromCommand("com.example.BillingApp arg1"));
    assertEquals("Hello", ServiceNames.fromCommand("Hello"));
  }

  @Test
  void unknownWhenThereIsNoCommand() {
    assertEquals("unknown_service:java", ServiceNames.fromCommand(null));
    assertEquals("unknown_service:java", ServiceNames.fromCommand("  "));
  }
}
