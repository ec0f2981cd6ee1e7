package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sweep} job's {@code summary.json} (SCIENCE §3): per model the §1 thresholds of its Gram
 * matrix; per model and width the seed intervals of the errors of Θ_m against H∞
 * ({@code per_width.<model>.<m>.<figure>}, read with {@link #interval}); per model and metric the
 * log–log fits of the seed mean and of the root mean square ({@link #fit}, {@link #fitRms}).
 *
 * @param nTest the test-set size (e_f)
 * @param seeds S, seeds per (model, width)
 * @param widths the widths m of the grid
 * @param thresholds model → the §1 thresholds of G (relu) or X̃X̃ᵀ (attn)
 * @param perWidth model → width → figures
 * @param fits model → metric → fit of log10(seed mean)
 * @param fitsRms model → metric → fit of log10(root mean square over seeds)
 * @param lambda λ_ridge of e_W and e_f
 * @param eps the target error of m̂(ε)
 * @param fitMinWidth the smallest width in the fits
 * @param verdicts {@code C2.<model>}, non-convergence at practical widths (SCIENCE §7); absent in
 *     summaries written before it
 * @param definitions key → its definition
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "dataset", "n", "n_test", "d", "seeds", "widths", "thresholds", "per_width", "fits",
    "fits_rms", "lambda", "eps", "fit_min_width", "verdicts", "definitions", "total_s", "provenance"})
public record SweepResult(
    String job,
    String dataset,
    int n,
    @JsonProperty("n_test") int nTest,
    int d,
    int seeds,
    List<Integer> widths,
    Map<String, Thresholds> thresholds,
    @JsonProperty("per_width") Map<String, Map<Integer, WidthFigures>> perWidth,
    Map<String, Map<String, Fit>> fits,
    @JsonProperty("fits_rms") Map<String, Map<String, Fit>> fitsRms,
    Double lambda,
    Double eps,
    @JsonProperty("fit_min_width") int fitMinWidth,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Map<String, Verdict>> verdicts,
    Map<String, String> definitions,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) implements PartResult {

  /** The value of {@code job}. */
  public static final String JOB = "sweep";

  /** The definitions the sweep job writes (SCIENCE §1, §3). */
  public static final Map<String, String> DEFINITIONS = definitionsOf();

  public SweepResult {
    widths = widths == null ? null : List.copyOf(widths);
    thresholds = ResultJson.ordered(thresholds);
    perWidth = nested(perWidth);
    fits = nested(fits);
    fitsRms = nested(fitsRms);
    lambda = ResultJson.finite(lambda);
    eps = ResultJson.finite(eps);
    definitions = ResultJson.ordered(definitions);
    totalS = ResultJson.finite(totalS);
  }

  /** The models of the sweep, in the file's order. */
  public List<String> models() {
    return List.copyOf(perWidth.keySet());
  }

  /** The widths of {@code model}'s per-width figures, ascending (empty for a model the sweep does not have). */
  public List<Integer> widthsOf(String model) {
    Map<Integer, WidthFigures> byWidth = perWidth.get(model);
    return byWidth == null ? List.of() : byWidth.keySet().stream().sorted().toList();
  }

  /** The §1 thresholds of {@code model}'s Gram matrix, or null. */
  public Thresholds thresholdsOf(String model) {
    return thresholds == null ? null : thresholds.get(model);
  }

  /** The figures of {@code model} at width {@code width}, or null when the sweep has no such cell. */
  public WidthFigures figures(String model, int width) {
    Map<Integer, WidthFigures> byWidth = perWidth.get(model);
    return byWidth == null ? null : byWidth.get(width);
  }

  /** {@code per_width.<model>.<width>.<figure>} (figure one of {@link WidthFigures#NAMES}), or null. */
  public Interval interval(String model, int width, String figure) {
    WidthFigures f = figures(model, width);
    return f == null ? null : f.figure(figure);
  }

  /** {@code fits.<model>.<metric>}, or null. */
  public Fit fit(String model, String metric) {
    Map<String, Fit> m = fits.get(model);
    return m == null ? null : m.get(metric);
  }

  /** {@code fits_rms.<model>.<metric>}, or null. */
  public Fit fitRms(String model, String metric) {
    Map<String, Fit> m = fitsRms.get(model);
    return m == null ? null : m.get(metric);
  }

  private static <K, V> Map<String, Map<K, V>> nested(Map<String, Map<K, V>> m) {
    if (m == null) {
      return null;
    }
    Map<String, Map<K, V>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, ResultJson.ordered(v)));
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Map<String, String> definitionsOf() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("e_F", "|Theta_m - H_inf|_F / |H_inf|_F (SCIENCE 3)");
    m.put("e_op", "|Theta_m - H_inf|_2 / |H_inf|_2");
    m.put("e_W", "|(H_inf + lambda I)^-1/2 (Theta_m - H_inf) (H_inf + lambda I)^-1/2|_2");
    m.put("e_f", "|f_Theta_m - f_H_inf|_F / |f_H_inf|_F on the test set, kernel ridge with lambda"
        + " (column e_f_test of sweep.parquet)");
    m.put("per_width", "mean and 95% interval mean +- t_{0.975,S-1} sd / sqrt(S) over seeds");
    m.put("fits", "OLS of log10(seed-mean metric) on log10 m, widths >= fit_min_width; m_hat = 10^((log10 eps - intercept)/slope)");
    m.put("fits_rms", "the same fit of log10(root-mean-square over seeds)");
    m.put("thresholds", "SCIENCE 1 thresholds of the model's Gram matrix: G for relu, X~X~^T for attn");
    return java.util.Collections.unmodifiableMap(m);
  }
}
