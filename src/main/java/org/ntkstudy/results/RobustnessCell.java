package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One cell of the robustness map (SCIENCE §7): a dataset, an input normalisation, an attack radius
 * and a kernel, with the verdict of every claim computed from that cell's own seeds.
 *
 * @param dataset the dataset ({@code --dataset} key)
 * @param inputNorm the input normalisation (SCIENCE §0.1)
 * @param attackEps the attack radius ε in pixels
 * @param kernel "empirical" (Θ_T) or "analytic" (H∞)
 * @param verdicts claim key ({@code C3.<intervention>.<attack>}, {@code C4}, {@code dual}) → verdict;
 *     C4 and dual do not depend on the radius (dual is decided over the radii), so the cells of one
 *     (dataset, input normalisation, kernel) share them
 */
@JsonPropertyOrder({"dataset", "input_norm", "attack_eps", "kernel", "verdicts"})
public record RobustnessCell(
    String dataset,
    @JsonProperty("input_norm") String inputNorm,
    @JsonProperty("attack_eps") double attackEps,
    String kernel,
    Map<String, Verdict> verdicts) {

  public RobustnessCell {
    verdicts = ResultJson.ordered(verdicts);
  }

  /** The cell as the map names it: {@code dataset/input_norm/eps=ε/kernel}. */
  public String label() {
    return dataset + "/" + inputNorm + "/eps=" + attackEps + "/" + kernel;
  }
}
