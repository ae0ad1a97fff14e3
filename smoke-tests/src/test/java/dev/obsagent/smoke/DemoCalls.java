package dev.obsagent.smoke;

import dev.obsagent.smoke.Traffic.Call;

/**
 * The demo app's answers, written out byte for byte: what it answers without the agent, so load
 * tests can check that every answer under load and faults is still exactly that.
 */
final class DemoCalls {

  static final Call HELLO = new Call("/hello", 200, "Hello from the obs-agent demo!\n");

  /** Three SQL statements on H2 (INSERT audit_log, SELECT owners, SELECT pets). */
  static final Call PETS_OF_OWNER_2 = new Call("/owners/2/pets", 200,
      "{\"owner\":\"Betty Davis\",\"pets\":[{\"name\":\"Basil\",\"type\":\"hamster\"},{\"name\":\"Lucky\",\"type\":\"bird\"}]}");

  /** An LLM chat call through java.net.http to the demo's fake OpenAI-compatible provider. */
  static final Call ASK = new Call("/assistant/ask", 200, askAnswer("gpt-4o-mini-2024-07-18"));

  private DemoCalls() {}

  /** A raw path under the {@code /api/*} servlet mapping. */
  static Call api(String pathInfo) {
    return new Call("/api" + pathInfo, 200, "{\"resource\":\"" + pathInfo + "\",\"items\":[1,2,3]}");
  }

  /** Spring MVC's {@code /owners/{ownerId}}. */
  static Call owner(long id) {
    return new Call("/owners/" + id, 200, "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
  }

  /** {@code /assistant/ask} with another model, which the fake provider echoes as the response model. */
  static Call ask(String model) {
    return new Call("/assistant/ask?model=" + model, 200, askAnswer(model));
  }

  /** Redis INCR and EXPIRE; the count depends on earlier visits, so only the start is fixed. */
  static Call visits(long ownerId) {
    return new Call("/owners/" + ownerId + "/visits", 200, "{\"ownerId\":" + ownerId + ",\"visits\":", true);
  }

  private static String askAnswer(String responseModel) {
    return "{\"id\":\"chatcmpl-demo1\",\"object\":\"chat.completion\",\"created\":1763800000,\"model\":\"" + responseModel
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + "\"Leo the cat is due for a check-up; Basil the hamster is fine.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":15,\"total_tokens\":46}}";
  }
}
