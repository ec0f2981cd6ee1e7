package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkstudy.math.ConditionNumbers;

/**
 * The {@code spectrum} job's {@code summary.json} (SCIENCE §1): the spectra of G, G³ and X̃X̃ᵀ
 * summarised by every condition number and theory threshold of §1. The κ_k family
 * ({@code kappa_<k>_G}, {@code kappa_<k>_G3}, {@code kappa_<k>_attn}, {@code kappa_<k>_attn_exponent}
 * for k in {@link ConditionNumbers#KS}) is written as top-level keys between {@code kappa_cubed}
 * and {@code eps}; read it with {@link #kappaK} and {@link #attnExponent}.
 *
 * @param classes the class labels of the subset
 * @param block the block size of the Gram computation
 * @param routeG how G's spectrum was computed ("gram" or "covariance")
 * @param routeAttn how X̃X̃ᵀ's spectrum was computed
 * @param lambdaMax λ1 of G
 * @param lambdaMin λn of G (possibly slightly negative from round-off, reported as it is)
 * @param r min(n, d)
 * @param lambdaR λr of G
 * @param tol the relative tolerance of the numerical rank
 * @param rankTol r_tol = #{λi > tol·λ1}
 * @param kappaTol κ_tol = λ1 / λ_{r_tol}
 * @param kappaTolWarning set when κ_tol is within 10× of 1/tol
 * @param kappaD κ_d = λ1 / λr, null when rank deficient
 * @param kappaDStatus "ok" or "rank_deficient"
 * @param lambdaRidge λ_ridge
 * @param kappaRidge (λ1 + λ_ridge) / (λn + λ_ridge)
 * @param kappaCubed κ_tol(G)³
 * @param kappaKs the κ_k family, key → value (null when the condition number does not exist)
 * @param eps ε of m*_v1
 * @param log10MStarV1 log10(κ_tol⁶ / ε²)
 * @param log10MStarV2 log10(κ_d⁶ n ln n), null when κ_d is
 * @param lambdaMaxAttn λ1 of X̃X̃ᵀ
 * @param verdicts {@code C1}, spectral amplification (SCIENCE §7); absent in summaries written before it
 * @param definitions key → its definition, for readers of the file
 * @param timings stage → seconds
 */
@JsonPropertyOrder({"job", "dataset", "task", "classes", "n", "d", "block", "route_G", "route_attn", "lambda_max",
    "lambda_min", "r", "lambda_r", "tol", "rank_tol", "kappa_tol", "kappa_tol_warning", "kappa_d", "kappa_d_status",
    "lambda_ridge", "kappa_ridge", "kappa_cubed", "kappa_ks", "eps", "log10_m_star_v1", "log10_m_star_v2",
    "lambda_max_attn", "verdicts", "definitions", "timings", "provenance"})
public record SpectrumResult(
    String job,
    String dataset,
    String task,
    List<Integer> classes,
    int n,
    int d,
    int block,
    @JsonProperty("route_G") String routeG,
    @JsonProperty("route_attn") String routeAttn,
    @JsonProperty("lambda_max") Double lambdaMax,
    @JsonProperty("lambda_min") Double lambdaMin,
    int r,
    @JsonProperty("lambda_r") Double lambdaR,
    Double tol,
    @JsonProperty("rank_tol") int rankTol,
    @JsonProperty("kappa_tol") Double kappaTol,
    @JsonProperty("kappa_tol_warning") String kappaTolWarning,
    @JsonProperty("kappa_d") Double kappaD,
    @JsonProperty("kappa_d_status") String kappaDStatus,
    @JsonProperty("lambda_ridge") Double lambdaRidge,
    @JsonProperty("kappa_ridge") Double kappaRidge,
    @JsonProperty("kappa_cubed") Double kappaCubed,
    @JsonProperty("kappa_ks") @ResultJson.Inline Map<String, Double> kappaKs,
    Double eps,
    @JsonProperty("log10_m_star_v1") Double log10MStarV1,
    @JsonProperty("log10_m_star_v2") Double log10MStarV2,
    @JsonProperty("lambda_max_attn") Double lambdaMaxAttn,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Verdict> verdicts,
    Map<String, String> definitions,
    Map<String, Double> timings,
    ProvenanceRecord provenance) implements PartResult {

  /** The value of {@code job}. */
  public static final String JOB = "spectrum";

  /** The matrices of the κ_k family, in the order the file lists them. */
  public static final List<String> KAPPA_MATRICES = List.of("G", "G3", "attn");

  private static final Pattern KAPPA_G_KEY = Pattern.compile("kappa_([0-9]+)_G");

  private static final Pattern KAPPA_KEY = Pattern.compile("kappa_[0-9]+_(G|G3|attn|attn_exponent)");

  /** The definitions the spectrum job writes (SCIENCE §0–§1). */
  public static final Map<String, String> DEFINITIONS = definitionsOf();

  public SpectrumResult {
    classes = classes == null ? null : List.copyOf(classes);
    lambdaMax = ResultJson.finite(lambdaMax);
    lambdaMin = ResultJson.finite(lambdaMin);
    lambdaR = ResultJson.finite(lambdaR);
    tol = ResultJson.finite(tol);
    kappaTol = ResultJson.finite(kappaTol);
    kappaD = ResultJson.finite(kappaD);
    lambdaRidge = ResultJson.finite(lambdaRidge);
    kappaRidge = ResultJson.finite(kappaRidge);
    kappaCubed = ResultJson.finite(kappaCubed);
    eps = ResultJson.finite(eps);
    log10MStarV1 = ResultJson.finite(log10MStarV1);
    log10MStarV2 = ResultJson.finite(log10MStarV2);
    lambdaMaxAttn = ResultJson.finite(lambdaMaxAttn);
    Map<String, Double> ks = new LinkedHashMap<>();
    if (kappaKs != null) {
      kappaKs.forEach((k, v) -> {
        if (!KAPPA_KEY.matcher(k).matches()) {
          throw new IllegalArgumentException("not a key of the spectrum summary: " + k);
        }
        ks.put(k, ResultJson.finite(v));
      });
    }
    kappaKs = java.util.Collections.unmodifiableMap(ks);
    definitions = ResultJson.ordered(definitions);
    timings = ResultJson.ordered(timings);
  }

  /** The JSON key of κ_k of {@code matrix} ("G", "G3", "attn") or of the exponent ("attn_exponent"). */
  public static String kappaKey(int k, String matrix) {
    return "kappa_" + k + "_" + matrix;
  }

  /** κ_k = λ1 / λk of {@code matrix} ("G", "G3" or "attn"), or null when it does not exist. */
  public Double kappaK(int k, String matrix) {
    return kappaKs.get(kappaKey(k, matrix));
  }

  /** The k of the κ_k family (the k of every {@code kappa_<k>_G} key), ascending. */
  public List<Integer> ks() {
    TreeSet<Integer> ks = new TreeSet<>();
    for (String key : kappaKs.keySet()) {
      Matcher m = KAPPA_G_KEY.matcher(key);
      if (m.matches()) {
        ks.add(Integer.parseInt(m.group(1)));
      }
    }
    return List.copyOf(ks);
  }

  /** The job's seconds: {@code timings.total_s}, or null. */
  @Override
  public Double totalS() {
    return timings == null ? null : timings.get("total_s");
  }

  /** ln κ_k(X̃X̃ᵀ) / ln κ_k(G): 3 when attention exactly cubes the conditioning at this k (null when undefined). */
  public Double attnExponent(int k) {
    return kappaKs.get(kappaKey(k, "attn_exponent"));
  }

  /**
   * The κ_k family of the three spectra (descending eigenvalues) in the file's order: κ_k of G, of
   * G³, of X̃X̃ᵀ for every k, then the exponents ln κ_k(X̃X̃ᵀ) / ln κ_k(G).
   */
  public static Map<String, Double> kappaFamily(double[] eigG, double[] eigG3, double[] eigAttn) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.putAll(ConditionNumbers.kappaKs(eigG, "G"));
    m.putAll(ConditionNumbers.kappaKs(eigG3, "G3"));
    m.putAll(ConditionNumbers.kappaKs(eigAttn, "attn"));
    for (int k : ConditionNumbers.KS) {
      m.put(kappaKey(k, "attn_exponent"),
          exponent(ConditionNumbers.kappaK(eigAttn, k), ConditionNumbers.kappaK(eigG, k)));
    }
    return m;
  }

  private static Double exponent(Double kappaAttn, Double kappaG) {
    if (kappaAttn == null || kappaG == null || kappaG <= 1) {
      return null;
    }
    return Math.log(kappaAttn) / Math.log(kappaG);
  }

  private static Map<String, String> definitionsOf() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("G", "X X^T, x = p/|p| (SCIENCE 0-1)");
    m.put("attn", "X~ X~^T, x~ = C x / |C x|, C = X^T X (SCIENCE 1)");
    m.put("kappa_<k>_<M>", "lambda_1 / lambda_k of matrix M; null when lambda_k <= 0 or k > n");
    m.put("kappa_d", "lambda_1 / lambda_r, r = min(n, d); null when lambda_r <= tol lambda_1");
    m.put("kappa_tol", "lambda_1 / lambda_{rank_tol}, rank_tol = #{lambda_i > tol lambda_1}");
    m.put("kappa_ridge", "(lambda_1 + lambda_ridge) / (lambda_n + lambda_ridge) of G");
    m.put("kappa_cubed", "kappa_tol(G)^3 = condition number of G^3 on G's numerical range");
    m.put("kappa_<k>_attn_exponent", "ln kappa_k(attn) / ln kappa_k(G): 3 means exact cubing");
    m.put("log10_m_star_v1", "log10(kappa_tol^6 / eps^2) (v1, Thm 4.7)");
    m.put("log10_m_star_v2", "log10(kappa_d^6 n ln n) (v2); null when kappa_d is");
    return java.util.Collections.unmodifiableMap(m);
  }
}
