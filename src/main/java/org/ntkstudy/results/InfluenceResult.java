package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code influence} job's {@code summary.json} (SCIENCE §5–§6): the malleability cells' seed
 * intervals per {@code malleability.<model>.<attack>.<intervention>} (read with {@link #figures}),
 * the attn/relu flip-rate ratios per {@code ratio.<attack>.<intervention>} ({@link #ratio}), the
 * paper's flip rates for comparison, the transductive and retraining LOO when they ran, and the
 * dual-implication table. As a {@link PartResult} it gives the report's headline and provenance
 * table its dataset, n, provenance and run time like every other part.
 *
 * @param task "binary" or "multiclass"
 * @param nTest the test-set size n*
 * @param lambda λ_ridge
 * @param kernel "empirical" (Θ_T) or "analytic" (H∞)
 * @param influenceTarget "margin" or "output" (SCIENCE §5)
 * @param k the top count k = ⌈τn⌉
 * @param tau τ
 * @param eps the attack radius ε in pixels
 * @param factorisation where K + λI was factorised, in words
 * @param malleability model → attack → intervention → figures, in the cells' order
 * @param ratio attack → intervention → the attn/relu ratio (only where both models ran)
 * @param paperFlipRates the paper's figures, labelled as the paper's
 * @param transductive attn's transductive LOO, or null (absent) when it did not run
 * @param retrainLoo the network-retraining LOO, or null (absent) when it did not run
 * @param dual the dual-implication table
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "dataset", "task", "n", "n_test", "lambda", "kernel", "influence_target", "k", "tau",
    "eps", "factorisation", "malleability", "ratio", "paper_flip_rates", "transductive", "retrain_loo", "dual",
    "total_s", "provenance"})
public record InfluenceResult(
    String job,
    String dataset,
    String task,
    int n,
    @JsonProperty("n_test") int nTest,
    Double lambda,
    String kernel,
    @JsonProperty("influence_target") String influenceTarget,
    int k,
    Double tau,
    Double eps,
    String factorisation,
    Map<String, Map<String, Map<String, MalleabilityFigures>>> malleability,
    Map<String, Map<String, FlipRateRatio>> ratio,
    @JsonProperty("paper_flip_rates") PaperFlipRates paperFlipRates,
    @JsonInclude(JsonInclude.Include.NON_NULL) TransductiveLooSummary transductive,
    @JsonProperty("retrain_loo") @JsonInclude(JsonInclude.Include.NON_NULL) RetrainLooSummary retrainLoo,
    DualTable dual,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) implements PartResult {

  /**
   * One (attack, intervention) cell of the malleability grid or of the ratios.
   *
   * @param attack the attack ("fgsm", "pgd", …)
   * @param intervention the intervention applied after it ("transformed", "curated", …)
   */
  public record Cell(String attack, String intervention) {}

  /** The value of {@code job}. */
  public static final String JOB = "influence";

  public InfluenceResult {
    lambda = ResultJson.finite(lambda);
    tau = ResultJson.finite(tau);
    eps = ResultJson.finite(eps);
    malleability = frozen(malleability);
    ratio = frozen(ratio);
    totalS = ResultJson.finite(totalS);
  }

  /** The models of the malleability grid, in the file's order (empty when there is no grid). */
  public List<String> models() {
    return malleability == null ? List.of() : List.copyOf(malleability.keySet());
  }

  /** The (attack, intervention) cells of {@code model}'s malleability grid, in the file's order. */
  public List<Cell> cells(String model) {
    var byAttack = malleability == null ? null : malleability.get(model);
    return byAttack == null ? List.of() : cellsOf(byAttack);
  }

  /** The figures of one malleability cell over its seeds, or null when the grid has no such cell. */
  public MalleabilityFigures figures(String model, String attack, String intervention) {
    var byAttack = malleability == null ? null : malleability.get(model);
    var byIntervention = byAttack == null ? null : byAttack.get(attack);
    return byIntervention == null ? null : byIntervention.get(intervention);
  }

  /** The flip rate of one malleability cell over its seeds, or null when the grid has no such cell. */
  public Interval flipRate(String model, String attack, String intervention) {
    MalleabilityFigures f = figures(model, attack, intervention);
    return f == null ? null : f.flipRate();
  }

  /** The (attack, intervention) cells that have an attn/relu ratio, in the file's order. */
  public List<Cell> ratioCells() {
    return ratio == null ? List.of() : cellsOf(ratio);
  }

  /** {@code ratio.<attack>.<intervention>}, or null when the summary has no such ratio. */
  public FlipRateRatio ratio(String attack, String intervention) {
    Map<String, FlipRateRatio> byIntervention = ratio == null ? null : ratio.get(attack);
    return byIntervention == null ? null : byIntervention.get(intervention);
  }

  /** The cells of an attack → intervention → value tree that have a value, in its order. */
  private static List<Cell> cellsOf(Map<String, ? extends Map<String, ?>> byAttack) {
    List<Cell> cells = new ArrayList<>();
    byAttack.forEach((attack, byIntervention) -> {
      if (byIntervention != null) {
        byIntervention.forEach((intervention, v) -> {
          if (v != null) {
            cells.add(new Cell(attack, intervention));
          }
        });
      }
    });
    return List.copyOf(cells);
  }

  @SuppressWarnings("unchecked")
  private static <T> T frozen(T tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((key, v) -> out.put(key, frozen(v)));
      return (T) Collections.unmodifiableMap(out);
    }
    return tree;
  }
}
