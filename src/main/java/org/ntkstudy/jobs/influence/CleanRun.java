package org.ntkstudy.jobs.influence;

import java.io.Serializable;
import java.util.List;
import org.ntkstudy.math.Influence;

/**
 * One (model, seed) before any intervention: its network, the target spec of its influences, the
 * total influence I_i = Σ_t I(x_i, x_t) of every training example (SCIENCE §5) and the network's
 * figures for the dual-implication table (SCIENCE §6). Broadcast to the malleability cells.
 *
 * @param modelIndex the model's index in {@code config.models()}
 * @param alignment Θ_T's kernel–target alignment on the training set
 */
public record CleanRun(int modelIndex, InfluenceWork.Net net, Influence.TargetSpec spec, double[] totals,
    double testAccuracy, double testLoss, double alignment) implements Serializable {

  /** The next seed's clean run of the same model in {@code runs} (cyclically), or null with one seed. */
  CleanRun nextSeed(List<CleanRun> runs) {
    List<CleanRun> same = runs.stream().filter(x -> x.modelIndex == modelIndex).toList();
    if (same.size() < 2) {
      return null;
    }
    return same.get((same.indexOf(this) + 1) % same.size());
  }
}
