package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One model's retraining-LOO comparison over its seeds (SCIENCE §5): the seed intervals of the
 * Pearson correlation and of the sign agreement, and each seed's {@link LooAgreement}.
 *
 * @param pearson Pearson correlation over seeds
 * @param signAgreement sign agreement over seeds
 * @param seeds seed (as a string) → that seed's agreement, in seed order
 */
@JsonPropertyOrder({"pearson", "sign_agreement", "seeds"})
public record LooSummary(
    Interval pearson,
    @JsonProperty("sign_agreement") Interval signAgreement,
    Map<String, LooAgreement> seeds) {
  public LooSummary {
    seeds = ResultJson.ordered(seeds);
  }
}
