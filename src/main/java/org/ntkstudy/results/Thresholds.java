package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.ntkstudy.math.ConditionNumbers;

/**
 * The theory thresholds of one Gram matrix (SCIENCE §1): κ_tol, κ_d (null when rank deficient),
 * and the widths m*_v1 = κ_tol⁶/ε² and m*_v2 = κ_d⁶ · n · ln n in log10.
 *
 * @param kappaTol λ1 / λ_{r_tol}
 * @param kappaD λ1 / λr, r = min(n, d), or null
 * @param kappaDStatus "ok" or "rank_deficient"
 * @param log10MStarV1 log10 m*_v1 (v1, Thm 4.7)
 * @param log10MStarV2 log10 m*_v2 (v2), null when κ_d is
 */
@JsonPropertyOrder({"kappa_tol", "kappa_d", "kappa_d_status", "log10_m_star_v1", "log10_m_star_v2"})
public record Thresholds(
    @JsonProperty("kappa_tol") Double kappaTol,
    @JsonProperty("kappa_d") Double kappaD,
    @JsonProperty("kappa_d_status") String kappaDStatus,
    @JsonProperty("log10_m_star_v1") Double log10MStarV1,
    @JsonProperty("log10_m_star_v2") Double log10MStarV2) {
  public Thresholds {
    kappaTol = ResultJson.finite(kappaTol);
    kappaD = ResultJson.finite(kappaD);
    log10MStarV1 = ResultJson.finite(log10MStarV1);
    log10MStarV2 = ResultJson.finite(log10MStarV2);
  }

  /** The thresholds among a Gram matrix's §1 figures. */
  public static Thresholds of(ConditionNumbers.Figures f) {
    return new Thresholds(f.kappaTol(), f.kappaD(), f.kappaDStatus(), f.log10MStarV1(), f.log10MStarV2());
  }
}
