package dev.obsagent.core.weave;

import java.util.function.Function;

/** The classes the tests weave, each reached through a public interface of the parent loader. */
public final class Targets {

  private Targets() {}

  public interface Greeting {
    String greet(String name, long times, double weight);
  }

  /** Loops, locals of every width, an own try/catch, several returns. */
  public static final class Greeter implements Greeting {
    private final String salutation = "hello";

    @Override
    public String greet(String name, long times, double weight) {
      StringBuilder out = new StringBuilder(salutation);
      for (long i = 0; i < times; i++) {
        out.append(' ').append(name);
      }
      try {
        if (weight < 0) {
          throw new IllegalArgumentException("negative");
        }
      } catch (IllegalArgumentException caughtByTheMethod) {
        return "caught";
      }
      if (weight > 100) {
        throw new IllegalStateException("too heavy");
      }
      double scaled = weight * 2;
      return out.append(scaled > 10 ? "!" : ".").toString();
    }
  }

  /** A static method with a primitive result. */
  public static final class Calculator implements Function<Integer, Integer> {
    @Override
    public Integer apply(Integer value) {
      return twice(value);
    }

    public static int twice(int value) {
      if (value < 0) {
        return 0;
      }
      return value * 2;
    }
  }

  /** A void method. */
  public static final class Sink implements Function<String, String> {
    private String last;

    @Override
    public String apply(String value) {
      store(value);
      return last;
    }

    public void store(String value) {
      if (value == null) {
        return;
      }
      last = value;
    }
  }

  /** Assigns its own parameter. */
  public static final class Trimmer implements Function<String, String> {
    @Override
    public String apply(String text) {
      text = text.trim();
      return text;
    }
  }
}
