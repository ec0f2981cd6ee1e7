package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The influence summary's {@code transductive} entry (SCIENCE §5): attn's exact transductive LOO
 * (example i also removed from the attention context) against the fixed-kernel closed form, over
 * seeds and per seed.
 *
 * @param definition what was compared
 * @param pearson Pearson correlation over seeds
 * @param signAgreement sign agreement over seeds
 * @param seeds seed (as a string) → that seed's agreement, in seed order
 */
@JsonPropertyOrder({"definition", "pearson", "sign_agreement", "seeds"})
public record TransductiveLooSummary(
    String definition,
    Interval pearson,
    @JsonProperty("sign_agreement") Interval signAgreement,
    Map<String, LooAgreement> seeds) {

  /** The value of {@code definition}. */
  public static final String DEFINITION = "total influence I_i with example i also removed from the attention"
      + " context (C - x_i x_i^T, every x~ and the kernel recomputed) against the fixed-kernel closed form";

  public TransductiveLooSummary {
    seeds = ResultJson.ordered(seeds);
  }

  /** The comparison without its definition, in the shape one model's retraining LOO has. */
  public LooSummary comparison() {
    return new LooSummary(pearson, signAgreement, seeds);
  }
}
