package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The report reads a row by quantity ({@link #quantities}): the six figures by their JSON key,
 * then each vulnerability figure as {@code vulnerability.<key>}.
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

  /** The keys of the figures that are not vulnerability figures, in the file's order. */
  public static final List<String> FIGURES = List.of("krr_test_mse", "krr_test_accuracy", "krr_alignment",
      "net_test_accuracy", "net_test_loss", "net_alignment_T");

  /** The prefix of a vulnerability figure's quantity name. */
  public static final String VULNERABILITY = "vulnerability.";

  /** The row's quantities in the file's order: {@link #FIGURES}, then {@code vulnerability.<key>} per flip rate. */
  public List<String> quantities() {
    List<String> quantities = new ArrayList<>(FIGURES);
    if (vulnerability != null) {
      vulnerability.keySet().forEach(key -> quantities.add(VULNERABILITY + key));
    }
    return List.copyOf(quantities);
  }

  /**
   * A quantity that is an interval over seeds (the networks' figures, vulnerability), or null when it
   * is a single number or absent.
   */
  public Interval interval(String quantity) {
    if (quantity.startsWith(VULNERABILITY)) {
      return vulnerability == null ? null : vulnerability.get(quantity.substring(VULNERABILITY.length()));
    }
    return switch (quantity) {
      case "net_test_accuracy" -> netTestAccuracy;
      case "net_test_loss" -> netTestLoss;
      case "net_alignment_T" -> netAlignmentT;
      default -> null;
    };
  }

  /** A quantity that is a single number (kernel ridge with H∞, one fit), or null when it is an interval or absent. */
  public Double number(String quantity) {
    return switch (quantity) {
      case "krr_test_mse" -> krrTestMse;
      case "krr_test_accuracy" -> krrTestAccuracy;
      case "krr_alignment" -> krrAlignment;
      default -> null;
    };
  }

  /** The key of the flip rate of ({@code attack}, {@code intervention}) in {@link #vulnerability}. */
  public static String flipKey(String attack, String intervention) {
    return "flip_rate_" + attack + "_" + intervention;
  }
}
