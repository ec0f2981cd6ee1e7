package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.ntkstudy.math.FlipBootstrap;

/**
 * An attn/relu ratio of one (attack, intervention) at one radius (SCIENCE §5) — of mean flip rates
 * (the summary's {@code ratio}) or of mean excesses over the random-sign control ({@code
 * excess_ratio}) — with its percentile bootstrap 95% interval; mean, lo and hi null, with a {@code
 * note}, when relu's mean (flip rate, or excess) is ≤ 0 and the ratio does not exist.
 *
 * <p>A bootstrap draw whose relu denominator is ≤ 0 counts as +∞ ({@link FlipBootstrap}), so an end
 * of the interval may be +∞: JSON has no infinity, so that end is null with its {@code
 * lo_unbounded}/{@code hi_unbounded} flag true (a null end with the flag false means "no ratio").
 * The flags, {@code infinite_draws} and {@code draws} are absent from summaries written before the
 * paired bootstrap.
 *
 * @param mean mean of attn over mean of relu, or null
 * @param lo the bootstrap interval's lower end, or null (absent ratio, or +∞ with loUnbounded)
 * @param hi the bootstrap interval's upper end, or null (absent ratio, or +∞ with hiUnbounded)
 * @param seedsAttn how many attn seeds entered the ratio
 * @param seedsRelu how many relu seeds entered the ratio
 * @param note why the ratio does not exist, absent when it does
 * @param loUnbounded whether the lower end is +∞, or null (absent) in older summaries
 * @param hiUnbounded whether the upper end is +∞, or null (absent) in older summaries
 * @param infiniteDraws how many bootstrap draws were +∞, or null (absent) in older summaries
 * @param draws B, the bootstrap draws, or null (absent) in older summaries
 */
@JsonPropertyOrder({"mean", "lo", "hi", "seeds_attn", "seeds_relu", "note", "lo_unbounded", "hi_unbounded",
    "infinite_draws", "draws"})
public record FlipRateRatio(
    Double mean,
    Double lo,
    Double hi,
    @JsonProperty("seeds_attn") int seedsAttn,
    @JsonProperty("seeds_relu") int seedsRelu,
    @JsonInclude(JsonInclude.Include.NON_NULL) String note,
    @JsonProperty("lo_unbounded") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean loUnbounded,
    @JsonProperty("hi_unbounded") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean hiUnbounded,
    @JsonProperty("infinite_draws") @JsonInclude(JsonInclude.Include.NON_NULL) Integer infiniteDraws,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer draws) {

  /** The note of a flip-rate ratio that does not exist (summaries before the paired bootstrap). */
  public static final String NO_RATIO = "relu's mean flip rate is 0: the ratio does not exist";

  public FlipRateRatio {
    mean = ResultJson.finite(mean);
    lo = ResultJson.finite(lo);
    hi = ResultJson.finite(hi);
  }

  /** A ratio in the shape of summaries written before the paired bootstrap (no flags, no draw counts). */
  public FlipRateRatio(Double mean, Double lo, Double hi, int seedsAttn, int seedsRelu, String note) {
    this(mean, lo, hi, seedsAttn, seedsRelu, note, null, null, null, null);
  }

  /** The ratio that does not exist (relu's mean flip rate is 0), with its note. */
  public static FlipRateRatio none(int seedsAttn, int seedsRelu) {
    return new FlipRateRatio(null, null, null, seedsAttn, seedsRelu, NO_RATIO);
  }

  /** {@link FlipBootstrap}'s ratio over {@code seeds} seeds of each model. */
  public static FlipRateRatio of(FlipBootstrap.Ratio r, int seeds) {
    return new FlipRateRatio(r.value(), r.lo(), r.hi(), seeds, seeds, r.reason(), r.loUnbounded(), r.hiUnbounded(),
        r.infiniteDraws(), r.draws());
  }

  /** Whether the ratio exists. */
  public boolean present() {
    return mean != null;
  }

  /** Whether the whole interval lies above x (a lower end of +∞ does). */
  public boolean above(double x) {
    return present() && (Boolean.TRUE.equals(loUnbounded) || (lo != null && lo > x));
  }
}
