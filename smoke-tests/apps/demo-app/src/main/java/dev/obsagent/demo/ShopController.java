package dev.obsagent.demo;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Served under /shop (context) and /mvc/* (servlet): the route is /shop/mvc/items/{itemId}. */
@RestController
public class ShopController {

  @GetMapping(path = "/items/{itemId}", produces = "application/json")
  public String item(@PathVariable("itemId") long itemId) {
    return "{\"id\":" + itemId + ",\"price\":9.99}";
  }
}
