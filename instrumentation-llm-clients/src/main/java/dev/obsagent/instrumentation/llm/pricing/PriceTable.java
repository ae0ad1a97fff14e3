package dev.obsagent.instrumentation.llm.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The prices of LLM models: the built-in table ({@code builtin-prices.csv} beside this class,
 * each entry with its source and date) overridden and extended by the {@code obs.llm.prices}
 * file. Lookup per CONTRACT.md: the response's model first, then the request's; for each, an
 * exact row, then the name without its date suffix, then the longest matching prefix row.
 * Azure OpenAI falls back to OpenAI's rows and Vertex AI to the Gemini API's; Bedrock ids as
 * {@link ModelNames} explains. Results are cached per provider and model.
 */
public final class PriceTable {

  static final String BUILT_IN = "builtin-prices.csv";
  private static final int MAX_CACHED = 4096;
  private static final Optional<ModelPrice> UNPRICED = Optional.empty();

  private final Map<String, Map<String, ModelPrice>> exact = new HashMap<>();
  private final Map<String, ModelPrice[]> prefixes = new HashMap<>();
  private final Map<String, Map<String, Optional<ModelPrice>>> resolved = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger cachedCount = new java.util.concurrent.atomic.AtomicInteger();

  PriceTable(Collection<ModelPrice> rows) {
    Map<String, List<ModelPrice>> prefixLists = new HashMap<>();
    for (ModelPrice row : rows) {
      if (row.prefix) {
        prefixLists.computeIfAbsent(row.provider, p -> new ArrayList<>()).add(row);
      } else {
        exact.computeIfAbsent(row.provider, p -> new HashMap<>()).put(row.model, row);
      }
    }
    for (Map.Entry<String, List<ModelPrice>> entry : prefixLists.entrySet()) {
      List<ModelPrice> list = entry.getValue();
      list.sort(Comparator.comparingInt((ModelPrice p) -> p.model.length()).reversed());
      prefixes.put(entry.getKey(), list.toArray(new ModelPrice[0]));
    }
  }

  /**
   * The built-in table plus the file at {@code overridePath} (null or empty: none). A file that
   * cannot be read, or a bad row, is one warning; everything else loads.
   */
  public static PriceTable load(String overridePath, Consumer<String> warnings) {
    Map<String, ModelPrice> rows = new LinkedHashMap<>();
    try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IOException("resource " + BUILT_IN + " is missing");
      }
      putAll(rows, PriceFile.parse(reader(in), "(built-in) " + BUILT_IN, warnings));
    } catch (IOException e) {
      throw new UncheckedIOException("the agent's own price table cannot be read", e);
    }
    if (overridePath != null && !overridePath.trim().isEmpty()) {
      String path = overridePath.trim();
      try (InputStream in = Files.newInputStream(Paths.get(path))) {
        putAll(rows, PriceFile.parse(reader(in), path, warnings));
      } catch (IOException | RuntimeException e) {
        warnings.accept(
            "cannot read the price file " + path + " named by obs.llm.prices (" + e.getClass().getSimpleName()
                + "); only the built-in prices apply");
      }
    }
    return new PriceTable(rows.values());
  }

  private static Reader reader(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  private static void putAll(Map<String, ModelPrice> rows, List<ModelPrice> parsed) {
    for (ModelPrice row : parsed) {
      rows.remove(row.key()); // a later row replaces an earlier one and takes its place in order
      rows.put(row.key(), row);
    }
  }

  /** The price of a call, or null when neither model has one. Either model may be null. */
  public ModelPrice find(String provider, String responseModel, String requestModel) {
    ModelPrice price = responseModel == null || responseModel.isEmpty() ? null : resolve(provider, responseModel);
    if (price == null && requestModel != null && !requestModel.isEmpty()) {
      price = resolve(provider, requestModel);
    }
    return price;
  }

  private ModelPrice resolve(String provider, String model) {
    Map<String, Optional<ModelPrice>> byModel = resolved.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    Optional<ModelPrice> cached = byModel.get(model);
    if (cached != null) {
      return cached.orElse(null);
    }
    ModelPrice price = "aws.bedrock".equals(provider) ? bedrock(model) : inFamily(provider, model);
    // Bounded: model names come from responses, and a stream of distinct ones must not grow memory.
    if (cachedCount.incrementAndGet() <= MAX_CACHED) {
      byModel.put(model, price == null ? UNPRICED : Optional.of(price));
    }
    return price;
  }

  private ModelPrice inFamily(String provider, String model) {
    ModelPrice price = lookup(provider, model);
    String family = familyOf(provider);
    return price == null && family != null ? lookup(family, model) : price;
  }

  /** Resellers whose prices follow the model maker's when they have no rows of their own. */
  private static String familyOf(String provider) {
    switch (provider) {
      case "azure.ai.openai":
        return "openai";
      case "gcp.vertex_ai":
        return "gcp.gemini";
      default:
        return null;
    }
  }

  private ModelPrice lookup(String provider, String model) {
    String base = ModelNames.withoutDate(model);
    ModelPrice price = exact(provider, model);
    if (price == null && !base.equals(model)) {
      price = exact(provider, base);
    }
    if (price == null) {
      price = prefix(provider, model);
    }
    return price;
  }

  private ModelPrice bedrock(String model) {
    String id = ModelNames.bedrockId(model);
    String unversioned = ModelNames.withoutBedrockVersion(id);
    ModelPrice price = exact("aws.bedrock", model);
    if (price == null) {
      price = exact("aws.bedrock", id);
    }
    if (price == null) {
      price = exact("aws.bedrock", unversioned);
    }
    if (price == null) {
      price = prefix("aws.bedrock", id);
    }
    String vendor = ModelNames.bedrockVendorProvider(unversioned);
    if (price == null && vendor != null) {
      price = lookup(vendor, unversioned.substring(unversioned.indexOf('.') + 1));
    }
    return price;
  }

  private ModelPrice exact(String provider, String model) {
    Map<String, ModelPrice> models = exact.get(provider);
    return models == null ? null : models.get(model);
  }

  private ModelPrice prefix(String provider, String model) {
    ModelPrice[] rows = prefixes.get(provider);
    if (rows != null) {
      for (ModelPrice row : rows) {
        if (model.startsWith(row.model)) {
          return row;
        }
      }
    }
    return null;
  }
}
