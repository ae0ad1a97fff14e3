package dev.obsagent.launcher;

/** A service provider for {@link NestedArchiveTest} to load from an archive. */
public class SampleTask implements Runnable {
  @Override
  public void run() {}
}
