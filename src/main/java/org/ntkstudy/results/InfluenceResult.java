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
 * The {@code influence} job's {@code summary.json} (SCIENCE §5–§6): the malleability cells' figures
 * per {@code malleability.<model>.<attack>.<intervention>} (read with {@link #figures}), the
 * attn/relu ratios of flip rates per {@code ratio.<attack>.<intervention>} ({@link #ratio}) and of
 * excesses over the random-sign control per {@code excess_ratio.<attack>.<intervention>} ({@link
 * #excessRatio}) — these three at the first attack radius — and the same per radius under {@code
 * by_radius.<radius>} ({@link #atRadius}); the paper's flip rates for comparison, the transductive
 * and retraining LOO when they ran, and the dual-implication table.
 *
 * <p>Summaries written before the radius axis and the paired bootstrap have no {@code attack_eps},
 * {@code excess_ratio}, {@code by_radius} or {@code definitions}: those components read as null and
 * are written back absent. As a {@link PartResult} it gives the report's headline and provenance
 * table its dataset, n, provenance and run time like every other part.
 *
 * @param task "binary" or "multiclass"
 * @param nTest the test-set size n*
 * @param lambda λ_ridge
 * @param kernel "empirical" (Θ_T) or "analytic" (H∞)
 * @param influenceTarget "margin" or "output" (SCIENCE §5)
 * @param k the top count k = ⌈τn⌉
 * @param tau τ
 * @param eps the first attack radius ε in pixels (that of the top-level malleability keys)
 * @param attackEps every attack radius, in the order given ({@code --attack-eps}), or null
 * @param factorisation where K + λI was factorised, in words
 * @param malleability model → attack → intervention → figures, in the cells' order
 * @param ratio attack → intervention → the attn/relu ratio of mean flip rates (only where both models ran)
 * @param excessRatio attack → intervention → the attn/relu ratio of mean excesses, or null
 * @param chance the test set's chance level (SCIENCE §6), or null in older summaries
 * @param collapse the attended features' collapse diagnostics (SCIENCE §6), or null
 * @param verdicts {@code C3}, {@code C4} and {@code dual} of SCIENCE §7 from this part's numbers, or null
 * @param byRadius radius (as Java prints the double) → that radius's figures, in the order given, or null
 * @param paperFlipRates the paper's figures, labelled as the paper's
 * @param transductive attn's transductive LOO, or null (absent) when it did not run
 * @param retrainLoo the network-retraining LOO, or null (absent) when it did not run
 * @param dual the dual-implication table
 * @param definitions what the malleability figures and their intervals are, or null
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "dataset", "task", "n", "n_test", "lambda", "kernel", "influence_target", "k", "tau",
    "eps", "attack_eps", "factorisation", "malleability", "ratio", "excess_ratio", "by_radius", "paper_flip_rates",
    "transductive", "retrain_loo", "dual", "chance", "collapse", "verdicts", "definitions", "total_s", "provenance"})
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
    @JsonProperty("attack_eps") @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> attackEps,
    String factorisation,
    Map<String, Map<String, Map<String, MalleabilityFigures>>> malleability,
    Map<String, Map<String, FlipRateRatio>> ratio,
    @JsonProperty("excess_ratio") @JsonInclude(JsonInclude.Include.NON_NULL)
    Map<String, Map<String, FlipRateRatio>> excessRatio,
    @JsonProperty("by_radius") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, RadiusFigures> byRadius,
    @JsonProperty("paper_flip_rates") PaperFlipRates paperFlipRates,
    @JsonInclude(JsonInclude.Include.NON_NULL) TransductiveLooSummary transductive,
    @JsonProperty("retrain_loo") @JsonInclude(JsonInclude.Include.NON_NULL) RetrainLooSummary retrainLoo,
    DualTable dual,
    @JsonInclude(JsonInclude.Include.NON_NULL) ChanceLevel chance,
    @JsonInclude(JsonInclude.Include.NON_NULL) Collapse collapse,
    @JsonInclude(JsonInclude.Include.NON_NULL) InfluenceVerdicts verdicts,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> definitions,
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

  /** The {@code definitions} the job writes: what each malleability figure and interval is (SCIENCE §5). */
  public static final Map<String, String> DEFINITIONS = standardDefinitions();

  public InfluenceResult {
    lambda = ResultJson.finite(lambda);
    tau = ResultJson.finite(tau);
    eps = ResultJson.finite(eps);
    attackEps = ResultJson.finite(attackEps);
    malleability = frozen(malleability);
    ratio = frozen(ratio);
    excessRatio = frozen(excessRatio);
    byRadius = frozen(byRadius);
    definitions = ResultJson.ordered(definitions);
    totalS = ResultJson.finite(totalS);
  }

  /** A summary in the shape written before the radius axis and the paired bootstrap. */
  public InfluenceResult(String job, String dataset, String task, int n, int nTest, Double lambda, String kernel,
      String influenceTarget, int k, Double tau, Double eps, String factorisation,
      Map<String, Map<String, Map<String, MalleabilityFigures>>> malleability,
      Map<String, Map<String, FlipRateRatio>> ratio, PaperFlipRates paperFlipRates,
      TransductiveLooSummary transductive, RetrainLooSummary retrainLoo, DualTable dual, Double totalS,
      ProvenanceRecord provenance) {
    this(job, dataset, task, n, nTest, lambda, kernel, influenceTarget, k, tau, eps, null, factorisation, malleability,
        ratio, null, null, paperFlipRates, transductive, retrainLoo, dual, null, null, null, null, totalS, provenance);
  }

  /** The same result with its verdicts, the dual table's statement restated by them. */
  public InfluenceResult withVerdicts(InfluenceVerdicts verdicts) {
    List<Double> radii = radii();
    DualTable restated = dual == null || radii.isEmpty() ? dual : dual.withVerdicts(verdicts, radii.get(0));
    return new InfluenceResult(job, dataset, task, n, nTest, lambda, kernel, influenceTarget, k, tau, eps, attackEps,
        factorisation, malleability, ratio, excessRatio, byRadius, paperFlipRates, transductive, retrainLoo, restated,
        chance, collapse, verdicts, definitions, totalS, provenance);
  }

  private static Map<String, String> standardDefinitions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("flip_rate", "fraction of the top k = ceil(tau n) training examples by |I_i| (curated: the next k) whose"
        + " total influence changes sign, I_i * I'_i < 0; the mean over seeds");
    d.put("control_random", "the flip rate under a random +-eps sign perturbation of the same examples with the same"
        + " seed (none for curated)");
    d.put("control_noise_floor", "the flip rate of the same examples between a seed's network and the next seed's,"
        + " no attack");
    d.put("excess", "E = flip_rate - control_random, paired per seed and example (none for curated)");
    d.put("rate_intervals", "flip_rate, control_random, control_noise_floor and excess: 95% paired two-level"
        + " percentile bootstrap (B = --bootstrap draws, SplitMix64 seeded by --seed; each draw resamples the seeds,"
        + " the same seed indices for relu and attn, then each drawn seed's top-k examples with their (attack,"
        + " control) pair; nearest rank), so a rate's interval lies in [0, 1]; spearman and topk_overlap: mean +-"
        + " t sd / sqrt(S) over seeds");
    d.put("ratio", "mean flip_rate of attn / mean flip_rate of relu, interval from the same bootstrap (a draw with"
        + " relu's rate <= 0 counts as +inf: an infinite end is null with lo_unbounded / hi_unbounded true); null"
        + " with a note when relu's mean flip rate is 0");
    d.put("excess_ratio", "mean excess of attn / mean excess of relu, interval from the same bootstrap (a draw with"
        + " relu's excess <= 0 counts as +inf); null with a note when relu's mean excess is <= 0");
    d.put("radius", "the top-level malleability, ratio and excess_ratio are at the first radius of attack_eps;"
        + " by_radius.<radius> holds the attacked interventions' figures and both ratios at every radius;"
        + " curated attacks nothing and is reported once, in malleability");
    return Collections.unmodifiableMap(d);
  }

  /** The models of the malleability grid, in the file's order. */
  public List<String> models() {
    return malleability == null ? List.of() : List.copyOf(malleability.keySet());
  }

  /** The (attack, intervention) cells of {@code model}'s malleability grid, in the file's order. */
  public List<Cell> cells(String model) {
    var byAttack = malleability == null ? null : malleability.get(model);
    return byAttack == null ? List.of() : cellsOf(byAttack);
  }

  /** The figures of one malleability cell over its seeds (first radius), or null when the grid has no such cell. */
  public MalleabilityFigures figures(String model, String attack, String intervention) {
    return malleability == null ? null : lookup(malleability, model, attack, intervention);
  }

  /** The attack radii, in the order given: {@code attack_eps}, or {@code [eps]} for older summaries. */
  public List<Double> radii() {
    if (attackEps != null) {
      return attackEps;
    }
    return eps == null ? List.of() : List.of(eps);
  }

  /** {@code by_radius.<radius>}, or null when the summary has no figures at that radius. */
  public RadiusFigures atRadius(double radius) {
    return byRadius == null ? null : byRadius.get(radiusKey(radius));
  }

  /** {@code excess_ratio.<attack>.<intervention>} (first radius), or null when the summary has no such ratio. */
  public FlipRateRatio excessRatio(String attack, String intervention) {
    Map<String, FlipRateRatio> byIntervention = excessRatio == null ? null : excessRatio.get(attack);
    return byIntervention == null ? null : byIntervention.get(intervention);
  }

  /** The key of a radius under {@code by_radius}: the double as Java prints it ({@code 0.3}, {@code 0.03}). */
  public static String radiusKey(double radius) {
    return Double.toString(radius);
  }

  static MalleabilityFigures lookup(Map<String, Map<String, Map<String, MalleabilityFigures>>> tree, String model,
      String attack, String intervention) {
    var byAttack = tree.get(model);
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
  static <T> T frozen(T tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((key, v) -> out.put(key, frozen(v)));
      return (T) Collections.unmodifiableMap(out);
    }
    return tree;
  }
}
