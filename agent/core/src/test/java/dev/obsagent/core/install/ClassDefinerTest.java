package dev.obsagent.core.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.InputStream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

class ClassDefinerTest {

  /** Stands for a helper class: the isolated loader below cannot find it by itself. */
  public static final class Probe {
    public static String hello() {
      return "hello from " + Probe.class.getClassLoader().getName();
    }
  }

  @Test
  void definesAClassInAnotherLoaderThatThenFindsItAndNeverDefinesItTwice() throws Exception {
    ClassDefiner definer = ClassDefiner.open(ByteBuddyAgent.install());
    ClassLoader isolated = new ClassLoader("isolated", null) {}; // sees the JDK only
    String name = Probe.class.getName();
    byte[] bytes;
    try (InputStream in = Probe.class.getResourceAsStream("ClassDefinerTest$Probe.class")) {
      bytes = in.readAllBytes();
    }

    Class<?> defined = definer.define(isolated, name, bytes);

    assertNotSame(Probe.class, defined);
    assertSame(isolated, defined.getClassLoader());
    assertSame(defined, Class.forName(name, false, isolated), "the loader finds the defined class itself");
    assertEquals("hello from isolated", defined.getMethod("hello").invoke(null));
    assertSame(defined, definer.define(isolated, name, bytes), "a second define returns the first class");
  }
}
