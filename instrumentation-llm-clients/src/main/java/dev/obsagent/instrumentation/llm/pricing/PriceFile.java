package dev.obsagent.instrumentation.llm.pricing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads the price-file format of CONTRACT.md: {@code provider,model,input,output,cache_read,cache_write}
 * in USD per million tokens, {@code #} comments, an empty cell where a price does not apply. A
 * bad row is one warning naming the file and line; the other rows still load.
 */
final class PriceFile {

  private PriceFile() {}

  static List<ModelPrice> parse(Reader source, String fileName, Consumer<String> warnings) throws IOException {
    List<ModelPrice> rows = new ArrayList<>();
    BufferedReader reader = new BufferedReader(source);
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      String text = line.trim();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      try {
        rows.add(parseRow(text, fileName + ":" + number));
      } catch (IllegalArgumentException e) {
        warnings.accept(
            "price file " + fileName + " line " + number + ": " + e.getMessage() + "; the row is skipped");
      }
    }
    return rows;
  }

  private static ModelPrice parseRow(String text, String origin) {
    String[] cells = splitCells(text);
    if (cells.length < 4 || cells.length > 6) {
      throw new IllegalArgumentException(
          "expected provider,model,input,output[,cache_read[,cache_write]] but found " + cells.length + " cells");
    }
    String provider = cells[0].toLowerCase(Locale.ROOT);
    String model = cells[1];
    if (provider.isEmpty() || model.isEmpty()) {
      throw new IllegalArgumentException("provider and model must not be empty");
    }
    boolean prefix = model.endsWith("*");
    if (prefix) {
      model = model.substring(0, model.length() - 1);
    }
    if (model.isEmpty() || model.indexOf('*') >= 0) {
      throw new IllegalArgumentException("'*' may only end a model prefix: " + cells[1]);
    }
    double input = price(cells, 2, "input");
    double output = price(cells, 3, "output");
    if (Double.isNaN(input) && Double.isNaN(output)) {
      throw new IllegalArgumentException("a row needs an input or an output price");
    }
    return new ModelPrice(
        provider, model, prefix, input, output, price(cells, 4, "cache_read"), price(cells, 5, "cache_write"), origin);
  }

  /** Splits on commas, keeping empty cells (including trailing ones) and trimming each. */
  private static String[] splitCells(String text) {
    List<String> cells = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = text.indexOf(',', start);
      if (comma < 0) {
        cells.add(text.substring(start).trim());
        return cells.toArray(new String[0]);
      }
      cells.add(text.substring(start, comma).trim());
      start = comma + 1;
    }
  }

  private static double price(String[] cells, int index, String name) {
    if (index >= cells.length || cells[index].isEmpty()) {
      return Double.NaN;
    }
    try {
      double value = Double.parseDouble(cells[index]);
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " price '" + cells[index] + "' is not a non-negative number");
    }
  }
}
