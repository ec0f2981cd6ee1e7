package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One (model, attack, intervention) cell of the influence job's malleability grid (SCIENCE §5),
 * each figure a seed {@link Interval}: the flip rate of the top k, Spearman ρ and the top-K overlap
 * of the influences before and after, and the two controls beside the flip rate.
 *
 * @param flipRate the fraction of the top k (curated: the next k) whose I_i · I'_i &lt; 0
 * @param spearman Spearman ρ of all I_i before and after
 * @param topkOverlap the top-K overlap before and after, K = k
 * @param controlRandom the flip rate under random ±ε signs on the same examples (none for curated)
 * @param controlNoiseFloor the flip rate between a seed and the next, no attack
 */
@JsonPropertyOrder({"flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor"})
public record MalleabilityFigures(
    @JsonProperty("flip_rate") Interval flipRate,
    Interval spearman,
    @JsonProperty("topk_overlap") Interval topkOverlap,
    @JsonProperty("control_random") Interval controlRandom,
    @JsonProperty("control_noise_floor") Interval controlNoiseFloor) {

  /** The names of {@link #figure}, in the file's order (the columns of malleability.parquet). */
  public static final List<String> NAMES =
      List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor");

  /** The figure named by its JSON key ({@link #NAMES}). */
  public Interval figure(String name) {
    return switch (name) {
      case "flip_rate" -> flipRate;
      case "spearman" -> spearman;
      case "topk_overlap" -> topkOverlap;
      case "control_random" -> controlRandom;
      case "control_noise_floor" -> controlNoiseFloor;
      default -> throw new IllegalArgumentException("no malleability figure " + name + "; one of " + NAMES);
    };
  }
}
