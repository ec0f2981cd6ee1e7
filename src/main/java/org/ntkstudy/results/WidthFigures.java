package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One (model, width) row of the width sweep (SCIENCE §3), each figure a seed {@link Interval}:
 * the errors e_F, e_op, e_W, e_f of Θ_m against H∞ and Θ_m's λmax, λmin and κ.
 *
 * @param eF ‖Θ_m − H∞‖_F / ‖H∞‖_F
 * @param eOp ‖Θ_m − H∞‖₂ / ‖H∞‖₂
 * @param eW the whitened error ‖(H∞+λI)^{-1/2} (Θ_m − H∞) (H∞+λI)^{-1/2}‖₂
 * @param ef ‖f_{Θ_m} − f_{H∞}‖_F / ‖f_{H∞}‖_F on the test set
 * @param lambdaMax λmax(Θ_m)
 * @param lambdaMin λmin(Θ_m)
 * @param kappa κ(Θ_m) over the seeds where it exists
 */
@JsonPropertyOrder({"e_F", "e_op", "e_W", "e_f", "lambda_max", "lambda_min", "kappa"})
public record WidthFigures(
    @JsonProperty("e_F") Interval eF,
    @JsonProperty("e_op") Interval eOp,
    @JsonProperty("e_W") Interval eW,
    @JsonProperty("e_f") Interval ef,
    @JsonProperty("lambda_max") Interval lambdaMax,
    @JsonProperty("lambda_min") Interval lambdaMin,
    Interval kappa) {

  /** The names of {@link #figure}, in the file's order (the errors first: {@link #ERRORS}). */
  public static final List<String> NAMES = List.of("e_F", "e_op", "e_W", "e_f", "lambda_max", "lambda_min", "kappa");

  /** The §3 error metrics, in the order of the tables. */
  public static final List<String> ERRORS = NAMES.subList(0, 4);

  /** The figure named by its JSON key ({@link #NAMES}). */
  public Interval figure(String name) {
    return switch (name) {
      case "e_F" -> eF;
      case "e_op" -> eOp;
      case "e_W" -> eW;
      case "e_f" -> ef;
      case "lambda_max" -> lambdaMax;
      case "lambda_min" -> lambdaMin;
      case "kappa" -> kappa;
      default -> throw new IllegalArgumentException("no sweep figure " + name + "; one of " + NAMES);
    };
  }
}
