package dev.obsagent.instrumentation.llm.pricing;

/**
 * The spellings of a model name that may find its price row: the name as given, and its base name
 * without a version or date suffix ({@code -YYYY-MM-DD} as OpenAI dates models, {@code -YYYYMMDD}
 * as Anthropic does, a trailing {@code -v1:0}-style version on Bedrock ids), and, for Bedrock ids,
 * the vendor's own name for the model.
 *
 * <p>Bedrock ids map to price rows like this: {@code arn:...:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0}
 * keeps what follows the last {@code /}; a cross-region prefix ({@code us.}, {@code eu.},
 * {@code apac.}, {@code global.}, ...) is dropped; {@code aws.bedrock} rows are tried with that
 * id and its base name ({@code amazon.nova-pro}); then the vendor part names the provider whose
 * rows are tried with the rest ({@code anthropic} + {@code claude-sonnet-4-20250514}, falling
 * back to {@code claude-sonnet-4}), since Bedrock's on-demand prices for third-party models are
 * the vendor's list prices.
 */
final class ModelNames {

  private static final String[] REGION_PREFIXES = {"us.", "us-gov.", "eu.", "apac.", "global.", "jp.", "au.", "ca."};

  private ModelNames() {}

  /**
   * {@code anthropic.claude-3-haiku-20240307-v1:0} loses {@code -v1:0}. Only the {@code -vN:M}
   * form counts, so names such as {@code deepseek-v3} are left alone.
   */
  static String withoutBedrockVersion(String model) {
    int colon = model.lastIndexOf(':');
    if (colon <= 0 || !allDigits(model, colon + 1, model.length())) {
      return model;
    }
    int v = model.lastIndexOf("-v", colon);
    if (v > 0 && allDigits(model, v + 2, colon)) {
      return model.substring(0, v);
    }
    return model;
  }

  /** {@code gpt-4o-2024-08-06} becomes {@code gpt-4o}; {@code claude-3-5-haiku-20241022} becomes {@code claude-3-5-haiku}. */
  static String withoutDate(String model) {
    int n = model.length();
    // -YYYY-MM-DD
    if (n > 11 && model.charAt(n - 11) == '-' && model.charAt(n - 6) == '-' && model.charAt(n - 3) == '-'
        && allDigits(model, n - 10, n - 6) && allDigits(model, n - 5, n - 3) && allDigits(model, n - 2, n)) {
      return model.substring(0, n - 11);
    }
    // -YYYYMMDD
    if (n > 9 && model.charAt(n - 9) == '-' && allDigits(model, n - 8, n) && model.charAt(n - 8) == '2') {
      return model.substring(0, n - 9);
    }
    return model;
  }

  /** A Bedrock model id without ARN and cross-region prefix: {@code anthropic.claude-...-v1:0}. */
  static String bedrockId(String model) {
    String id = model.startsWith("arn:") ? model.substring(model.lastIndexOf('/') + 1) : model;
    for (String region : REGION_PREFIXES) {
      if (id.startsWith(region) && id.indexOf('.', region.length()) > 0) {
        return id.substring(region.length());
      }
    }
    return id;
  }

  /** The provider whose rows price a Bedrock id's vendor part, or null. */
  static String bedrockVendorProvider(String bedrockId) {
    int dot = bedrockId.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    switch (bedrockId.substring(0, dot)) {
      case "anthropic":
        return "anthropic";
      case "mistral":
        return "mistral_ai";
      case "cohere":
        return "cohere";
      case "openai":
        return "openai";
      default:
        return null;
    }
  }

  private static boolean allDigits(String text, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
