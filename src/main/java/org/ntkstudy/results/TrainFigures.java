package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One (model, width, σ0, optimiser) group of the training grid (SCIENCE §4), each figure a seed
 * {@link Interval}: NTK distance, kernel movement and distance, kernel–target alignment at 0 and T,
 * and the final losses and accuracies.
 *
 * @param ntkDistance ‖f_m(X*) − f_NTK(X*)‖_F
 * @param ntkDistanceRelative the same over ‖f_NTK(X*)‖_F
 * @param kernelMovement ‖Θ_T − Θ_0‖_F / ‖Θ_0‖_F
 * @param kernelDistance S = 1 − ⟨Θ_0, Θ_T⟩_F / (‖Θ_0‖_F ‖Θ_T‖_F)
 * @param alignment0 A(Θ_0)
 * @param alignmentT A(Θ_T)
 * @param trainLoss the last epoch's training loss
 * @param trainAccuracy the last epoch's training accuracy
 * @param testLoss the last epoch's test loss
 * @param testAccuracy the last epoch's test accuracy
 */
@JsonPropertyOrder({"ntk_distance", "ntk_distance_relative", "kernel_movement", "kernel_distance", "alignment_0",
    "alignment_T", "train_loss", "train_accuracy", "test_loss", "test_accuracy"})
public record TrainFigures(
    @JsonProperty("ntk_distance") Interval ntkDistance,
    @JsonProperty("ntk_distance_relative") Interval ntkDistanceRelative,
    @JsonProperty("kernel_movement") Interval kernelMovement,
    @JsonProperty("kernel_distance") Interval kernelDistance,
    @JsonProperty("alignment_0") Interval alignment0,
    @JsonProperty("alignment_T") Interval alignmentT,
    @JsonProperty("train_loss") Interval trainLoss,
    @JsonProperty("train_accuracy") Interval trainAccuracy,
    @JsonProperty("test_loss") Interval testLoss,
    @JsonProperty("test_accuracy") Interval testAccuracy) {

  /** The names of {@link #figure}, in the file's order. */
  public static final List<String> NAMES = List.of("ntk_distance", "ntk_distance_relative", "kernel_movement",
      "kernel_distance", "alignment_0", "alignment_T", "train_loss", "train_accuracy", "test_loss", "test_accuracy");

  /** The figure named by its JSON key ({@link #NAMES}). */
  public Interval figure(String name) {
    return switch (name) {
      case "ntk_distance" -> ntkDistance;
      case "ntk_distance_relative" -> ntkDistanceRelative;
      case "kernel_movement" -> kernelMovement;
      case "kernel_distance" -> kernelDistance;
      case "alignment_0" -> alignment0;
      case "alignment_T" -> alignmentT;
      case "train_loss" -> trainLoss;
      case "train_accuracy" -> trainAccuracy;
      case "test_loss" -> testLoss;
      case "test_accuracy" -> testAccuracy;
      default -> throw new IllegalArgumentException("no training figure " + name + "; one of " + NAMES);
    };
  }
}
