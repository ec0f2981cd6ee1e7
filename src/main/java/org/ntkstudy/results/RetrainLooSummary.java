package org.ntkstudy.results;

import java.util.Map;

/**
 * The influence summary's {@code retrain_loo} entry (SCIENCE §5): networks retrained by full-batch
 * GD without example i against the closed form with Θ_T of the full-data GD network — how well the
 * NTK predicts the network; after the definition, one key per model.
 *
 * @param definition what was compared (the recipe, with its epochs)
 * @param models model → its comparison over seeds, written as keys beside {@code definition}
 */
public record RetrainLooSummary(String definition, @ResultJson.Inline Map<String, LooSummary> models) {
  public RetrainLooSummary {
    models = ResultJson.ordered(models);
  }

  /** The value of {@code definition} for networks trained {@code epochs} epochs. */
  public static String definition(int epochs) {
    return "full-batch GD from the same initialisation, no weight decay, example i removed, " + epochs
        + " epochs; f(x_t) - f_{-i}(x_t) against the closed form with Theta_T of the full-data GD network";
  }
}
