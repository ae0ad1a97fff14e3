package dev.obsagent.instrumentation.llm;

import dev.obsagent.instrumentation.llm.endpoint.ApiShape;
import dev.obsagent.instrumentation.llm.parse.BodyParser;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import dev.obsagent.instrumentation.llm.provider.UsageExtractor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/** Fixture files and the ways tests cut them into chunks. */
public final class Fixtures {

  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture as the wire carries it: Bedrock's event list becomes event-stream frames. */
  public static byte[] body(String name) {
    return name.endsWith(".events") ? eventStream(new String(bytes(name), StandardCharsets.UTF_8)) : bytes(name);
  }

  public static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Encodes {@code <event-type> <json>} lines as AWS event-stream messages. */
  public static byte[] eventStream(String events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : events.split("\n")) {
      if (!line.isBlank()) {
        int space = line.indexOf(' ');
        out.writeBytes(eventStreamMessage(line.substring(0, space), line.substring(space + 1).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out.toByteArray();
  }

  public static byte[] eventStreamMessage(String eventType, byte[] payload) {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":event-type", eventType);
    header(headers, ":content-type", "application/json");
    header(headers, ":message-type", "event");
    int total = 12 + headers.size() + payload.length + 4;
    ByteBuffer message = ByteBuffer.allocate(total);
    message.putInt(total).putInt(headers.size());
    CRC32 crc = new CRC32();
    crc.update(message.array(), 0, 8);
    message.putInt((int) crc.getValue());
    message.put(headers.toByteArray()).put(payload);
    crc.reset();
    crc.update(message.array(), 0, total - 4);
    message.putInt((int) crc.getValue());
    return message.array();
  }

  private static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(nameBytes.length);
    out.writeBytes(nameBytes);
    out.write(7); // string
    out.write(valueBytes.length >> 8);
    out.write(valueBytes.length & 0xFF);
    out.writeBytes(valueBytes);
  }

  /** The body cut into pieces of random length (1 to 64 bytes), from a fixed seed. */
  public static List<byte[]> randomChunks(byte[] body, long seed) {
    Random random = new Random(seed);
    List<byte[]> chunks = new ArrayList<>();
    for (int at = 0; at < body.length; ) {
      int n = Math.min(body.length - at, 1 + random.nextInt(64));
      chunks.add(java.util.Arrays.copyOfRange(body, at, at + n));
      at += n;
    }
    return chunks;
  }

  /** Parses the chunks as one response body: the facts, or null when it was unparseable. */
  public static ResponseFacts parse(ApiShape shape, String contentType, String encoding, List<byte[]> chunks) {
    UsageExtractor extractor = shape.newExtractor();
    try {
      BodyParser parser = BodyParser.create(contentType, encoding, extractor);
      try {
        for (byte[] chunk : chunks) {
          parser.write(chunk, 0, chunk.length);
        }
        parser.finish();
      } finally {
        parser.close();
      }
      return extractor.facts();
    } catch (IOException unparseable) {
      return null;
    }
  }

  /** The body split in two at {@code at}, both halves fed from one array with offsets. */
  public static ResponseFacts parseSplit(ApiShape shape, String contentType, String encoding, byte[] body, int at) {
    UsageExtractor extractor = shape.newExtractor();
    try {
      BodyParser parser = BodyParser.create(contentType, encoding, extractor);
      parser.write(body, 0, at);
      parser.write(body, at, body.length - at);
      parser.finish();
      parser.close();
      return extractor.facts();
    } catch (IOException unparseable) {
      return null;
    }
  }
}
