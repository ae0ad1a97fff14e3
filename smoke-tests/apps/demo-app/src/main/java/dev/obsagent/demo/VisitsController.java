package dev.obsagent.demo;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Counts visits to an owner's page in Redis with two commands, so that one request shows as a
 * SERVER span with two Redis CLIENT spans under it: {@code INCR} and {@code EXPIRE}.
 *
 * <p>/visitors?id=&amp;note= keeps a note on a visitor under a key made of the visitor's id:
 * {@code SET} with an expiry, then {@code GET}. Keys and values are user data the agent never
 * records (each is a ? in db.query.text).
 *
 * <p>Without a reachable Redis it answers 503, and the agent records the failed {@code INCR}
 * with {@code error_type} {@code redis.clients.jedis.exceptions.JedisConnectionException}.
 */
@RestController
public class VisitsController {

  /** Demo keys go away by themselves: the Redis may be shared, and no one cleans up after a demo. */
  static final long COUNTER_SECONDS = 24 * 60 * 60;

  private final UnifiedJedis redis;

  public VisitsController(UnifiedJedis redis) {
    this.redis = redis;
  }

  @GetMapping(path = "/owners/{ownerId}/visits", produces = "application/json")
  public ResponseEntity<String> visit(@PathVariable("ownerId") long ownerId) {
    String key = "obs-agent-demo:visits:owner:" + ownerId;
    try {
      long visits = redis.incr(key);
      redis.expire(key, COUNTER_SECONDS);
      return ResponseEntity.ok("{\"ownerId\":" + ownerId + ",\"visits\":" + visits + "}");
    } catch (JedisConnectionException e) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("{\"error\":\"Redis is not reachable\"}");
    }
  }

  @GetMapping(path = "/visitors", produces = "application/json")
  public ResponseEntity<String> remember(@RequestParam("id") String visitor, @RequestParam("note") String note) {
    String key = "obs-agent-demo:visitor:" + visitor;
    try {
      redis.setex(key, COUNTER_SECONDS, note);
      return ResponseEntity.ok("{\"visitor\":" + Endpoint.jsonString(visitor) + ",\"note\":" + Endpoint.jsonString(redis.get(key)) + "}");
    } catch (JedisConnectionException e) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("{\"error\":\"Redis is not reachable\"}");
    }
  }
}
