package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How two vectors of total influences I_i of one seed agree (SCIENCE §5): the closed form against
 * the transductive LOO, or the retrained networks against the closed form.
 *
 * @param pearson Pearson correlation, or null when it does not exist
 * @param spearman Spearman ρ, or null
 * @param signAgreement the fraction of examples whose two I_i have the same sign
 * @param topkOverlap the overlap of the top k by |I_i|
 * @param maxAbsDifference max_i |I_i − I'_i|
 * @param maxAbsDifferenceRelative the same over max_i |I_i| of the reference, null when that is 0
 */
@JsonPropertyOrder({"pearson", "spearman", "sign_agreement", "topk_overlap", "max_abs_difference",
    "max_abs_difference_relative"})
public record LooAgreement(
    Double pearson,
    Double spearman,
    @JsonProperty("sign_agreement") Double signAgreement,
    @JsonProperty("topk_overlap") Double topkOverlap,
    @JsonProperty("max_abs_difference") Double maxAbsDifference,
    @JsonProperty("max_abs_difference_relative") Double maxAbsDifferenceRelative) {
  public LooAgreement {
    pearson = ResultJson.finite(pearson);
    spearman = ResultJson.finite(spearman);
    signAgreement = ResultJson.finite(signAgreement);
    topkOverlap = ResultJson.finite(topkOverlap);
    maxAbsDifference = ResultJson.finite(maxAbsDifference);
    maxAbsDifferenceRelative = ResultJson.finite(maxAbsDifferenceRelative);
  }
}
