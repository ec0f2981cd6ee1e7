package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The attn/relu ratio of mean flip rates of one (attack, intervention) (SCIENCE §5) with its
 * percentile bootstrap 95% interval; mean, lo and hi null, with a {@code note}, when relu's mean
 * flip rate is 0 and the ratio does not exist.
 *
 * @param mean mean flip rate of attn over mean flip rate of relu, or null
 * @param lo the bootstrap interval's lower end, or null
 * @param hi the bootstrap interval's upper end, or null (also when it is +∞)
 * @param seedsAttn how many attn seeds entered the ratio
 * @param seedsRelu how many relu seeds entered the ratio
 * @param note why the ratio does not exist, absent when it does
 */
@JsonPropertyOrder({"mean", "lo", "hi", "seeds_attn", "seeds_relu", "note"})
public record FlipRateRatio(
    Double mean,
    Double lo,
    Double hi,
    @JsonProperty("seeds_attn") int seedsAttn,
    @JsonProperty("seeds_relu") int seedsRelu,
    @JsonInclude(JsonInclude.Include.NON_NULL) String note) {

  /** The note of a ratio that does not exist. */
  public static final String NO_RATIO = "relu's mean flip rate is 0: the ratio does not exist";

  public FlipRateRatio {
    mean = ResultJson.finite(mean);
    lo = ResultJson.finite(lo);
    hi = ResultJson.finite(hi);
  }

  /** Whether the ratio exists (relu flipped, so it has a mean). */
  public boolean present() {
    return mean != null;
  }

  /** The ratio that does not exist (relu's mean flip rate is 0), with its note. */
  public static FlipRateRatio none(int seedsAttn, int seedsRelu) {
    return new FlipRateRatio(null, null, null, seedsAttn, seedsRelu, NO_RATIO);
  }
}
