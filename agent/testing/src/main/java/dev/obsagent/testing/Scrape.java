package dev.obsagent.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed Prometheus text or OpenMetrics scrape, for exact assertions on series: a sample is a
 * name, its complete label set and its value (and the exemplar text, when OpenMetrics has one).
 */
public final class Scrape {

  /** One sample line. */
  public static final class Sample {
    public final String name;
    public final Map<String, String> labels;
    public final double value;
    public final String exemplar;

    Sample(String name, Map<String, String> labels, double value, String exemplar) {
      this.name = name;
      this.labels = labels;
      this.value = value;
      this.exemplar = exemplar;
    }

    @Override
    public String toString() {
      return name + labels + " " + value + (exemplar == null ? "" : " # " + exemplar);
    }
  }

  private final String text;
  private final List<Sample> samples;

  private Scrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new Scrape(text, Collections.unmodifiableList(samples));
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new TreeMap<>();
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String remainder = line.substring(rest).trim();
    String exemplar = null;
    int hash = remainder.indexOf(" # ");
    if (hash >= 0) {
      exemplar = remainder.substring(hash + 3).trim();
      remainder = remainder.substring(0, hash).trim();
    }
    String valueText = remainder.split(" ")[0];
    return new Sample(name, Collections.unmodifiableMap(labels), parseValue(valueText), exemplar);
  }

  /** Parses {@code a="x",b="y"}} starting after the brace; returns the index after the closing brace. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String key = line.substring(i, equals).trim();
      StringBuilder value = new StringBuilder();
      int j = equals + 2; // skip ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double parseValue(String text) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(text);
    }
  }

  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Samples with this name whose labels include all the given ones. */
  public List<Sample> find(String name, Map<String, String> labelSubset) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name.equals(name) && sample.labels.entrySet().containsAll(labelSubset.entrySet())) {
        found.add(sample);
      }
    }
    return found;
  }

  /** The value of the one sample with exactly these labels, or 0 when the series does not exist yet. */
  public double value(String name, Map<String, String> exactLabels) {
    for (Sample sample : samples) {
      if (sample.name.equals(name) && sample.labels.equals(new TreeMap<>(exactLabels))) {
        return sample.value;
      }
    }
    return 0;
  }

  /** Label map from alternating names and values. */
  public static Map<String, String> labels(String... namesAndValues) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      labels.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return labels;
  }
}
