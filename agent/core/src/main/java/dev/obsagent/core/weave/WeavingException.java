package dev.obsagent.core.weave;

/** An advice that cannot be woven into a method; the class is then left as it was. */
public final class WeavingException extends Exception {

  private static final long serialVersionUID = 1L;

  public WeavingException(String message) {
    super(message);
  }
}
