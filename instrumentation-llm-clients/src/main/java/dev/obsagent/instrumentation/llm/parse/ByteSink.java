package dev.obsagent.instrumentation.llm.parse;

import java.io.IOException;

/** One stage of the body pipeline: takes bytes as they pass and hands on what the next stage needs. */
public interface ByteSink {

  /** Reads {@code bytes[offset, offset+length)}; never keeps a reference to the array afterwards. */
  void write(byte[] bytes, int offset, int length) throws IOException;
}
