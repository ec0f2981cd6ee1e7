package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One (model, attack, intervention) cell of the influence job's malleability grid at one attack
 * radius (SCIENCE §5), each figure an {@link Interval} over the S seeds: the flip rate of the top k,
 * Spearman ρ and the top-K overlap of the influences before and after, the two controls beside the
 * flip rate, and the excess of the flip rate over the random-sign control.
 *
 * <p>The rates ({@code flip_rate}, {@code control_random}, {@code control_noise_floor}) and the
 * {@code excess} carry §5's paired two-level percentile bootstrap interval ({@link
 * org.ntkstudy.math.FlipBootstrap}: seeds resampled, then each drawn seed's examples), so a rate's
 * interval lies in [0, 1] and an excess's in [−1, 1]; {@code spearman} and {@code topk_overlap}
 * keep the seed t-interval mean ± t·sd/√S. (Summaries written before the bootstrap have t-intervals
 * throughout and no {@code excess}.)
 *
 * @param flipRate the fraction of the top k (curated: the next k) whose I_i · I'_i &lt; 0
 * @param spearman Spearman ρ of all I_i before and after
 * @param topkOverlap the top-K overlap before and after, K = k
 * @param controlRandom the flip rate under random ±ε signs on the same examples (none for curated)
 * @param controlNoiseFloor the flip rate between a seed and the next, no attack
 * @param excess E = flip rate − control_random, paired per seed and example (none for curated); null
 *     (absent) in summaries written before it existed
 */
@JsonPropertyOrder({"flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor", "excess"})
public record MalleabilityFigures(
    @JsonProperty("flip_rate") Interval flipRate,
    Interval spearman,
    @JsonProperty("topk_overlap") Interval topkOverlap,
    @JsonProperty("control_random") Interval controlRandom,
    @JsonProperty("control_noise_floor") Interval controlNoiseFloor,
    @JsonInclude(JsonInclude.Include.NON_NULL) Interval excess) {

  /** The names of {@link #figure}, in the file's order. */
  public static final List<String> NAMES =
      List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor", "excess");

  /** The figures without an excess (the shape of summaries written before it existed). */
  public MalleabilityFigures(Interval flipRate, Interval spearman, Interval topkOverlap, Interval controlRandom,
      Interval controlNoiseFloor) {
    this(flipRate, spearman, topkOverlap, controlRandom, controlNoiseFloor, null);
  }

  /** The figure named by its JSON key ({@link #NAMES}); null for an {@code excess} the summary does not have. */
  public Interval figure(String name) {
    return switch (name) {
      case "flip_rate" -> flipRate;
      case "spearman" -> spearman;
      case "topk_overlap" -> topkOverlap;
      case "control_random" -> controlRandom;
      case "control_noise_floor" -> controlNoiseFloor;
      case "excess" -> excess;
      default -> throw new IllegalArgumentException("no malleability figure " + name + "; one of " + NAMES);
    };
  }
}
