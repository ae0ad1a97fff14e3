package dev.obsagent.demo;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC registered in code, as a Spring Boot app would have it, without Boot itself. */
final class SpringMvc {

  /** The standard MVC setup: annotated controllers, request mappings, message converters. */
  @Configuration
  @EnableWebMvc
  static class WebConfig {}

  private SpringMvc() {}

  /**
   * A DispatcherServlet for these controllers and the configuration classes their beans come
   * from; it starts its Spring context on servlet init.
   */
  static DispatcherServlet dispatcher(Class<?>... components) {
    AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
    context.register(WebConfig.class);
    context.register(components);
    return new DispatcherServlet(context);
  }
}
