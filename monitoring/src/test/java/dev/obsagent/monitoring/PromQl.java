package dev.obsagent.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the metric names out of a PromQL expression (or a Grafana query, whose {@code $variables}
 * are ignored): enough of the language to check names, not a parser. Names given as
 * {@code __name__=~"a|b"} count, function and aggregation names, label names in {@code by (...)}
 * and friends, strings, numbers and durations do not.
 */
final class PromQl {

  private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=~?\\s*\"([^\"]*)\"");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LISTS =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern TOKEN = Pattern.compile("\\d[\\w.+-]*|[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
          "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher byName = NAME_MATCHER.matcher(expr);
    while (byName.find()) {
      for (String name : byName.group(1).split("\\|")) {
        names.add(name);
      }
    }
    String rest = GRAFANA_VARIABLES.matcher(expr).replaceAll(" ");
    rest = BRACES.matcher(rest).replaceAll(" ");
    rest = STRINGS.matcher(rest).replaceAll(" ");
    rest = RANGES.matcher(rest).replaceAll(" ");
    rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
    Matcher token = TOKEN.matcher(rest);
    while (token.find()) {
      String word = token.group();
      if (Character.isDigit(word.charAt(0)) || KEYWORDS.contains(word)) {
        continue;
      }
      int next = token.end();
      while (next < rest.length() && Character.isWhitespace(rest.charAt(next))) {
        next++;
      }
      boolean isFunction = next < rest.length() && rest.charAt(next) == '(';
      if (!isFunction) {
        names.add(word);
      }
    }
    return names;
  }
}
