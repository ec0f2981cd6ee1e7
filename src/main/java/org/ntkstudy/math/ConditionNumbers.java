package org.ntkstudy.math;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every condition number and theory threshold of SCIENCE §1, from the eigenvalues of a Gram
 * matrix. A number that does not exist (an eigenvalue that is zero or negative, k beyond n) is
 * {@code null}, never ∞ or NaN.
 */
public final class ConditionNumbers {
  /** The k of κ_k = λ1/λk (SCIENCE §1). */
  public static final int[] KS = {2, 5, 10, 20, 50};

  /** κ_d status when λr > tol·λ1. */
  public static final String STATUS_OK = "ok";

  /** κ_d status when λr ≤ tol·λ1 (SCIENCE §1: natural images leave G rank deficient). */
  public static final String STATUS_RANK_DEFICIENT = "rank_deficient";

  /**
   * The §1 figures of one Gram matrix G (n×n, from n inputs of dimension d).
   *
   * @param lambdaMax λ1
   * @param lambdaMin λn (possibly slightly negative from round-off, reported as it is)
   * @param r min(n, d)
   * @param lambdaR λr
   * @param kappaD λ1/λr, or null when rank deficient
   * @param kappaDStatus {@link #STATUS_OK} or {@link #STATUS_RANK_DEFICIENT}
   * @param rankTol r_tol = #{λi > tol·λ1}
   * @param kappaTol λ1/λ_{r_tol}
   * @param kappaTolWarning set when κ_tol is within 10× of 1/tol (the tolerance set it)
   * @param kappaRidge (λ1 + λ_ridge)/(λn + λ_ridge), null when the denominator is not positive
   * @param kappaCubed κ_tol(G)³ = κ_tol(G³) on G's numerical range (the paper's cubing)
   * @param log10MStarV1 log10(κ_tol⁶ / ε²) (v1, Thm 4.7)
   * @param log10MStarV2 log10(κ_d⁶ · n · ln n) (v2), null when κ_d is
   */
  public record Figures(
      double lambdaMax,
      double lambdaMin,
      int r,
      double lambdaR,
      Double kappaD,
      String kappaDStatus,
      int rankTol,
      double kappaTol,
      String kappaTolWarning,
      Double kappaRidge,
      Double kappaCubed,
      Double log10MStarV1,
      Double log10MStarV2) {}

  private ConditionNumbers() {}

  /**
   * The §1 figures for G with eigenvalues {@code desc} (descending, all n of them).
   *
   * @param d input dimension, so that r = min(n, d)
   * @param tol relative tolerance of the numerical rank (`--tol`)
   * @param eps target error of the v1 threshold (`--eps`)
   * @param lambdaRidge λ_ridge (`--lambda`)
   */
  public static Figures of(double[] desc, int d, double tol, double eps, double lambdaRidge) {
    int n = desc.length;
    if (n == 0) {
      throw new IllegalArgumentException("no eigenvalues");
    }
    if (!(tol > 0 && tol < 1)) {
      throw new IllegalArgumentException("tol must be in (0, 1), got " + tol);
    }
    double l1 = desc[0];
    double ln = desc[n - 1];
    int r = Math.min(n, d);
    double lr = desc[r - 1];
    boolean positive = l1 > 0;

    Double kappaD = positive && lr > tol * l1 ? l1 / lr : null;
    String status = kappaD == null ? STATUS_RANK_DEFICIENT : STATUS_OK;

    int rankTol = 0;
    while (positive && rankTol < n && desc[rankTol] > tol * l1) {
      rankTol++;
    }
    double kappaTol = positive ? l1 / desc[Math.max(rankTol, 1) - 1] : Double.NaN;
    String warning = null;
    if (positive && kappaTol >= 0.1 / tol) {
      warning =
          String.format(
              "kappa_tol = %.3e is within 10x of 1/tol = %.1e: the tolerance, not the data, set it"
                  + " (try a smaller --tol)",
              kappaTol, 1 / tol);
    }
    Double kappaRidge = ln + lambdaRidge > 0 ? (l1 + lambdaRidge) / (ln + lambdaRidge) : null;
    Double kappaCubed = positive ? kappaTol * kappaTol * kappaTol : null;
    Double mV1 = positive ? 6 * Math.log10(kappaTol) - 2 * Math.log10(eps) : null;
    Double mV2 =
        kappaD != null && n >= 2 ? 6 * Math.log10(kappaD) + Math.log10(n * Math.log(n)) : null;
    return new Figures(
        l1, ln, r, lr, kappaD, status, rankTol, positive ? kappaTol : Double.NaN, warning,
        kappaRidge, kappaCubed, mV1, mV2);
  }

  /** κ_k = λ1/λk, or null when k > n or λk ≤ 0 (no such condition number). */
  public static Double kappaK(double[] desc, int k) {
    if (k < 1 || k > desc.length || desc[0] <= 0 || desc[k - 1] <= 0) {
      return null;
    }
    return desc[0] / desc[k - 1];
  }

  /** κ_k for every k of {@link #KS}, keyed {@code kappa_<k>_<suffix>}. */
  public static Map<String, Double> kappaKs(double[] desc, String suffix) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int k : KS) {
      out.put("kappa_" + k + "_" + suffix, kappaK(desc, k));
    }
    return out;
  }

  /** The eigenvalues raised to a power (the spectrum of G³ is exactly that of G cubed, §1). */
  public static double[] power(double[] desc, int p) {
    double[] out = new double[desc.length];
    for (int i = 0; i < desc.length; i++) {
      out[i] = Math.pow(desc[i], p);
    }
    return out;
  }
}
