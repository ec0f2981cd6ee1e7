package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One model's row of the dual-implication table (SCIENCE §6): approximation — kernel ridge with H∞
 * on the model's inputs (x for relu, x̃ for attn) and the trained networks over seeds — beside
 * vulnerability, the flip rates of SCIENCE §5 per (attack, intervention).
 *
 * @param krrTestMse kernel ridge with H∞: test mean squared error (per test point, summed over outputs)
 * @param krrTestAccuracy kernel ridge with H∞: test accuracy
 * @param krrAlignment kernel–target alignment of H∞ on the training set
 * @param netTestAccuracy the trained networks' test accuracy over seeds
 * @param netTestLoss the trained networks' test loss over seeds
 * @param netAlignmentT Θ_T's kernel–target alignment over seeds
 * @param vulnerability {@code flip_rate_<attack>_<intervention>} → the flip rate over seeds, in the
 *     malleability cells' order
 */
@JsonPropertyOrder({"krr_test_mse", "krr_test_accuracy", "krr_alignment", "net_test_accuracy", "net_test_loss",
    "net_alignment_T", "vulnerability"})
public record DualRow(
    @JsonProperty("krr_test_mse") Double krrTestMse,
    @JsonProperty("krr_test_accuracy") Double krrTestAccuracy,
    @JsonProperty("krr_alignment") Double krrAlignment,
    @JsonProperty("net_test_accuracy") Interval netTestAccuracy,
    @JsonProperty("net_test_loss") Interval netTestLoss,
    @JsonProperty("net_alignment_T") Interval netAlignmentT,
    Map<String, Interval> vulnerability) {
  public DualRow {
    krrTestMse = ResultJson.finite(krrTestMse);
    krrTestAccuracy = ResultJson.finite(krrTestAccuracy);
    krrAlignment = ResultJson.finite(krrAlignment);
    vulnerability = ResultJson.ordered(vulnerability);
  }

  /** The key of the flip rate of ({@code attack}, {@code intervention}) in {@link #vulnerability}. */
  public static String flipKey(String attack, String intervention) {
    return "flip_rate_" + attack + "_" + intervention;
  }
}
