package dev.obsagent.instrumentation.llm.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.provider.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  private PriceTable withFile(String content) throws IOException {
    Path file = dir.resolve("prices.csv");
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    return PriceTable.load(file.toString(), warnings::add);
  }

  private static String pattern(ModelPrice price) {
    return price == null ? null : price.provider() + "," + price.pattern();
  }

  @Test
  void builtInTableLoadsCleanly() {
    PriceTable table = PriceTable.load(null, warnings::add);
    assertEquals(List.of(), warnings);
    assertEquals("openai,gpt-4o-mini", pattern(table.find("openai", "gpt-4o-mini", null)));
  }

  @Test
  void fileRowsOverrideAndExtend() throws IOException {
    PriceTable table = withFile(
        "# provider,model,input,output,cache_read,cache_write\n"
            + "openai,gpt-4o-mini,0.30,1.20,0.15,\n"
            + "acme,acme-large,1.00,2.00,,\n");
    assertEquals(List.of(), warnings);
    ModelPrice mini = table.find("openai", "gpt-4o-mini", null);
    assertEquals(0.30, mini.input);
    assertEquals(1.20, mini.output);
    assertEquals(0.15, mini.cacheRead);
    assertTrue(Double.isNaN(mini.cacheWrite));
    assertEquals("acme,acme-large", pattern(table.find("acme", null, "acme-large")));
    assertEquals("openai,gpt-4o", pattern(table.find("openai", "gpt-4o", null)), "other built-in rows stay");
  }

  @Test
  void prefixRulesLongestFirst() throws IOException {
    PriceTable table = withFile("acme,acme-*,1,1,,\nacme,acme-mini*,0.5,0.5,,\n");
    assertEquals("acme,acme-mini*", pattern(table.find("acme", "acme-mini-2", null)));
    assertEquals("acme,acme-*", pattern(table.find("acme", "acme-max", null)));
    assertNull(table.find("acme", "other", null));
  }

  @Test
  void exactRowBeatsPrefixAndDatedSuffixFallsBack() {
    PriceTable table = PriceTable.load(null, warnings::add);
    assertEquals("openai,gpt-4o", pattern(table.find("openai", "gpt-4o-2024-08-06", null)));
    assertEquals("openai,gpt-4o-mini", pattern(table.find("openai", "gpt-4o-mini-2024-07-18", null)));
    assertEquals("anthropic,claude-sonnet-4", pattern(table.find("anthropic", "claude-sonnet-4-20250514", null)));
    assertEquals("anthropic,claude-haiku-4-5*", pattern(table.find("anthropic", "claude-haiku-4-5-20251001", null)));
    assertEquals("anthropic,claude-opus-4-1*", pattern(table.find("anthropic", "claude-opus-4-1-20250805", null)));
  }

  @Test
  void responseModelFirstThenRequestModel() {
    PriceTable table = PriceTable.load(null, warnings::add);
    assertEquals("openai,gpt-4o-mini", pattern(table.find("openai", "gpt-4o-mini-2024-07-18", "gpt-4o")));
    assertEquals("openai,gpt-4o", pattern(table.find("openai", "unknown-model", "gpt-4o")));
    assertEquals("openai,gpt-4o", pattern(table.find("openai", null, "gpt-4o")));
    assertNull(table.find("openai", "unknown-model", "also-unknown"));
  }

  @Test
  void resellersFallBackToTheMakersRows() {
    PriceTable table = PriceTable.load(null, warnings::add);
    assertEquals("openai,gpt-4o", pattern(table.find("azure.ai.openai", "gpt-4o-2024-05-13", "my-deployment")));
    assertEquals("gcp.gemini,gemini-2.5-pro*", pattern(table.find("gcp.vertex_ai", "gemini-2.5-pro", null)));
    assertNull(table.find("ollama", "gpt-4o", null), "a local model is not priced as OpenAI's");
  }

  @Test
  void bedrockIdsMapToTheVendorsRows() {
    PriceTable table = PriceTable.load(null, warnings::add);
    assertEquals("anthropic,claude-3-5-haiku*",
        pattern(table.find("aws.bedrock", null, "anthropic.claude-3-5-haiku-20241022-v1:0")));
    assertEquals("anthropic,claude-sonnet-4",
        pattern(table.find("aws.bedrock", null, "us.anthropic.claude-sonnet-4-20250514-v1:0")));
    assertEquals("anthropic,claude-sonnet-4-5*",
        pattern(table.find("aws.bedrock", null,
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0")));
    assertEquals("mistral_ai,mistral-large*", pattern(table.find("aws.bedrock", null, "mistral.mistral-large-2407-v1:0")));
    assertEquals("aws.bedrock,amazon.nova-pro*", pattern(table.find("aws.bedrock", null, "us.amazon.nova-pro-v1:0")));
    assertNull(table.find("aws.bedrock", null, "meta.llama3-70b-instruct-v1:0"));
  }

  @Test
  void bedrockRowsOfTheirOwnWin() throws IOException {
    PriceTable table = withFile("aws.bedrock,anthropic.claude-3-5-haiku-20241022,9,9,,\n");
    assertEquals("aws.bedrock,anthropic.claude-3-5-haiku-20241022",
        pattern(table.find("aws.bedrock", null, "eu.anthropic.claude-3-5-haiku-20241022-v1:0")));
  }

  @Test
  void badRowsWarnWithFileAndLineAndTheRestLoads() throws IOException {
    PriceTable table = withFile(
        "# header\n"
            + "acme,good-one,1,2,,\n"
            + "acme,bad-price,abc,2,,\n"
            + "acme,too,few\n"
            + "acme,star*in*middle,1,1,,\n"
            + "acme,no-prices,,,,\n"
            + "acme,negative,-1,2,,\n"
            + "acme,good-two,3,4,0.3,5\n");
    assertEquals(5, warnings.size(), warnings.toString());
    String file = dir.resolve("prices.csv").toString();
    int[] lines = {3, 4, 5, 6, 7};
    for (int i = 0; i < lines.length; i++) {
      assertTrue(warnings.get(i).contains(file) && warnings.get(i).contains("line " + lines[i]), warnings.get(i));
    }
    assertEquals("acme,good-one", pattern(table.find("acme", "good-one", null)));
    assertEquals("acme,good-two", pattern(table.find("acme", "good-two", null)));
    assertNull(table.find("acme", "bad-price", null));
  }

  @Test
  void unreadableFileIsOneWarningAndBuiltInsApply() {
    PriceTable table = PriceTable.load(dir.resolve("missing.csv").toString(), warnings::add);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("missing.csv") && warnings.get(0).contains("obs.llm.prices"), warnings.get(0));
    assertEquals("openai,gpt-4o", pattern(table.find("openai", "gpt-4o", null)));
  }

  @Test
  void costFollowsTheContractFormula() {
    ModelPrice price = new ModelPrice("p", "m", false, 3.0, 15.0, 0.30, 3.75, "test");
    // 2009 input (1800 cache read, 188 cache write, 21 uncached) and 393 output
    CallCost cost = CallCost.of(price, new TokenUsage(2009, 393, 1800, 188));
    assertEquals(21 * 3.0 / 1e6, cost.input, 1e-15);
    assertEquals(1800 * 0.30 / 1e6, cost.cacheRead, 1e-15);
    assertEquals(188 * 3.75 / 1e6, cost.cacheWrite, 1e-15);
    assertEquals(393 * 15.0 / 1e6, cost.output, 1e-15);
    // Empty cache prices fall back to the input price; empty output price does not apply.
    ModelPrice plain = new ModelPrice("p", "m", false, 2.0, Double.NaN, Double.NaN, Double.NaN, "test");
    CallCost plainCost = CallCost.of(plain, new TokenUsage(100, 50, 40, 10));
    assertEquals(50 * 2.0 / 1e6, plainCost.input, 1e-15);
    assertEquals(40 * 2.0 / 1e6, plainCost.cacheRead, 1e-15);
    assertEquals(10 * 2.0 / 1e6, plainCost.cacheWrite, 1e-15);
    assertEquals(0, plainCost.output);
  }

  @Test
  void datedSuffixesAndBedrockVersions() {
    assertEquals("gpt-4o", ModelNames.withoutDate("gpt-4o-2024-08-06"));
    assertEquals("claude-3-5-haiku", ModelNames.withoutDate("claude-3-5-haiku-20241022"));
    assertEquals("gpt-4o", ModelNames.withoutDate("gpt-4o"));
    assertEquals("mistral-large-2411", ModelNames.withoutDate("mistral-large-2411"));
    assertEquals("anthropic.claude-3-haiku-20240307", ModelNames.withoutBedrockVersion("anthropic.claude-3-haiku-20240307-v1:0"));
    assertEquals("deepseek-v3", ModelNames.withoutBedrockVersion("deepseek-v3"));
    assertEquals("anthropic.claude-x-v2:0", ModelNames.bedrockId("apac.anthropic.claude-x-v2:0"));
  }
}
