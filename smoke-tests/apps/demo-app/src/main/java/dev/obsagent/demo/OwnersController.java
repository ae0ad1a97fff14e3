package dev.obsagent.demo;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The classic templated route: the agent must report /owners/{ownerId}, never /owners/42. */
@RestController
public class OwnersController {

  @GetMapping(path = "/owners/{ownerId}", produces = "application/json")
  public String owner(@PathVariable("ownerId") long ownerId) {
    return "{\"id\":" + ownerId + ",\"name\":\"Owner " + ownerId + "\"}";
  }
}
