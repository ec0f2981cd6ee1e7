package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One log–log fit of the width sweep (SCIENCE §3): ordinary least squares of log10(seed aggregate
 * of a metric) on log10 m over the widths ≥ {@code fit_min_width}, and the extrapolated width
 * m̂(ε) = 10^((log10 ε − a)/b) at which the metric reaches ε (null unless the slope is negative).
 *
 * @param slope b, or null with fewer than two widths
 * @param intercept a
 * @param slopeSe the slope's standard error (null with two widths)
 * @param mHat m̂(ε)
 * @param log10MHat log10 m̂(ε)
 * @param widths how many widths entered the fit
 * @param seeds the fewest seeds any of those widths had
 */
@JsonPropertyOrder({"slope", "intercept", "slope_se", "m_hat", "log10_m_hat", "widths", "seeds"})
public record Fit(
    Double slope,
    Double intercept,
    @JsonProperty("slope_se") Double slopeSe,
    @JsonProperty("m_hat") Double mHat,
    @JsonProperty("log10_m_hat") Double log10MHat,
    int widths,
    int seeds) {
  public Fit {
    slope = ResultJson.finite(slope);
    intercept = ResultJson.finite(intercept);
    slopeSe = ResultJson.finite(slopeSe);
    mHat = ResultJson.finite(mHat);
    log10MHat = ResultJson.finite(log10MHat);
  }

  /** No fit: fewer than two usable widths. */
  public static Fit none(int widths, int seeds) {
    return new Fit(null, null, null, null, null, widths, seeds);
  }
}
