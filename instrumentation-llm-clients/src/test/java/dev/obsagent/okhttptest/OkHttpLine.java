package dev.obsagent.okhttptest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import okhttp3.OkHttp;

/** The OkHttp release on this test JVM's class path: one per surefire execution of the matrix. */
public final class OkHttpLine {

  private OkHttpLine() {}

  /** Read at run time: {@code OkHttp.VERSION} is a constant that javac would inline from the compile-time jar. */
  public static String version() {
    try {
      return (String) OkHttp.class.getField("VERSION").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Guards the matrix itself: each execution must really run against its own release. */
  public static void assertIsTheExpectedOne() {
    String expected = System.getProperty("expected.okhttp.version");
    if (expected != null) {
      assertEquals(expected, version(), "OkHttp on the class path");
    }
  }
}
