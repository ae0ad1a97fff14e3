package dev.obsagent.instrumentation.servlet.jersey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JerseyRoutesTest {

  /** Templates as written, outermost first (class; locators; method): Jersey lists them in reverse. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "/owners                                | /owners",
    "owners ; {id}                          | /owners/{id}",
    "/ ; /{id}                              | /{id}",
    "owners/ ; /{id}/                       | /owners/{id}",
    "/                                      | /",
    "owners ; {id: [0-9]+}                  | /owners/{id}",
    "owners ; {year:[0-9]{4}}/{file: .+/.+} | /owners/{year}/{file}",
    "owners ; {ownerId}/pets ; {petId}      | /owners/{ownerId}/pets/{petId}",
    "api/v1.0 ; items.json                  | /api/v1.0/items.json",
  })
  void joinsTheMatchedTemplatesOutermostFirstWithoutRegularExpressions(String written, String route) {
    List<UriTemplate> matched = new ArrayList<>();
    for (String template : written.split(";")) {
      matched.add(0, new UriTemplate(template.trim()));
    }
    assertEquals(route, JerseyRoutes.join(matched));
  }
}
