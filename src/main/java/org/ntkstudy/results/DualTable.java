package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The influence summary's {@code dual} entry (SCIENCE §6): the table, one {@link DualRow} per model,
 * and — when both relu and attn are in it — the verdict, written as keys beside {@code table}.
 *
 * @param table model → its row, in the models' order
 * @param verdict whether attention approximates better and is more malleable, or null with one model
 */
@JsonPropertyOrder({"table", "verdict"})
public record DualTable(
    Map<String, DualRow> table,
    @ResultJson.Inline @JsonInclude(JsonInclude.Include.NON_NULL) Verdict verdict) {

  /**
   * Whether attention's lower approximation error and its higher malleability both hold (SCIENCE §6).
   *
   * @param attnApproximatesBetter kernel ridge with H∞ has a lower test MSE on x̃ (attn) than on x (relu)
   * @param attnMoreMalleable the attn/relu flip-rate ratio (PGD, transformed) has its 95% interval
   *     above 1, or — once the §7 verdicts are in ({@link #withVerdicts}) — C3 (transformed, PGD, first
   *     radius) is {@code higher} (false: {@code reversed}); null when undetermined
   * @param statement the verdict in one sentence
   */
  @JsonPropertyOrder({"attn_approximates_better", "attn_more_malleable", "statement"})
  public record Verdict(
      @JsonProperty("attn_approximates_better") boolean attnApproximatesBetter,
      @JsonProperty("attn_more_malleable") Boolean attnMoreMalleable,
      String statement) {

    /**
     * The verdict from kernel ridge's test MSE with H∞ on x̃ (attn) and on x (relu), and whether the
     * PGD-transformed ratio's interval lies above 1 (null: not measured or no ratio).
     */
    public static Verdict of(double attnMse, double reluMse, Boolean attnMoreMalleable) {
      boolean approx = attnMse < reluMse;
      return new Verdict(approx, attnMoreMalleable, String.format(Locale.ROOT,
          "kernel ridge with H_inf: test MSE %.4g on x~ (attn) vs %.4g on x (relu), so attention %s; the attn/relu"
              + " flip-rate ratio (PGD, transformed) %s; both hold: %s",
          attnMse, reluMse, approx ? "approximates better" : "does not approximate better",
          attnMoreMalleable == null ? "was not measured or does not exist"
              : attnMoreMalleable ? "has its 95% interval above 1" : "does not have its 95% interval above 1",
          attnMoreMalleable == null ? "undetermined" : Boolean.toString(approx && attnMoreMalleable)));
    }
  }

  public DualTable {
    table = ResultJson.ordered(table);
  }

  /**
   * The same table with its verdict restated by the SCIENCE §7 verdicts: attention "more malleable"
   * only when C3 (transformed, PGD, at the first radius) is {@code higher} (false when {@code
   * reversed}, undetermined otherwise), and the statement the {@code dual} verdict in plain words
   * beside C4's, so that the table and the verdicts never disagree.
   */
  public DualTable withVerdicts(InfluenceVerdicts v, double firstRadius) {
    if (verdict == null || v == null) {
      return this;
    }
    var byAttack = v.c3().get("transformed");
    var byRadius = byAttack == null ? null : byAttack.get("pgd");
    org.ntkstudy.results.Verdict c3 = byRadius == null ? null : byRadius.get(firstRadius);
    Boolean more = c3 == null ? null
        : org.ntkstudy.results.Verdict.HIGHER.equals(c3.verdict()) ? Boolean.TRUE
        : org.ntkstudy.results.Verdict.REVERSED.equals(c3.verdict()) ? Boolean.FALSE : null;
    String statement = "dual implication " + v.dual().verdict() + ": " + v.dual().sentence() + " (C4 "
        + v.c4().verdict() + ": " + v.c4().sentence() + "; C3 transformed PGD at radius " + firstRadius + ": "
        + (c3 == null ? "not measured" : c3.verdict()) + ")";
    return new DualTable(table, new Verdict(verdict.attnApproximatesBetter(), more, statement));
  }

  /** The table's models, in the file's order (empty when there is no table). */
  public List<String> models() {
    return table == null ? List.of() : List.copyOf(table.keySet());
  }

  /** The row of {@code model}, or null when the table has none. */
  public DualRow row(String model) {
    return table == null ? null : table.get(model);
  }

  /** Whether attention's kernel fits the task better, or null without a verdict. */
  public Boolean attnApproximatesBetter() {
    return verdict == null ? null : verdict.attnApproximatesBetter();
  }

  /** Whether attention's influence flips more easily, or null without a verdict (or when not measured). */
  public Boolean attnMoreMalleable() {
    return verdict == null ? null : verdict.attnMoreMalleable();
  }

  /** The dual implication in one sentence, or null without a verdict. */
  public String statement() {
    return verdict == null ? null : verdict.statement();
  }
}
