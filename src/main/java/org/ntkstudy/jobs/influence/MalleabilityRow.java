package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.List;
import org.ntkstudy.results.MalleabilityFigures;

/**
 * One row of {@code malleability.parquet}: a cell (model, attack, intervention, seed) and its
 * figures of SCIENCE §5 — NaN where a figure does not apply (the random-sign control of a
 * {@code curated} cell, the noise floor with one seed).
 *
 * @param attack the attack's key, {@code none} for {@code curated}
 * @param flipRate the fraction of the top k (curated: the next k) whose I_i · I'_i &lt; 0
 * @param spearman Spearman ρ of all I_i before and after
 * @param topkOverlap the top-K overlap before and after, K = k
 * @param controlRandom the flip rate under random ±ε signs on the same examples
 * @param controlNoiseFloor the flip rate between this seed and the next, no attack
 */
public record MalleabilityRow(String model, String attack, String intervention, long seed, double flipRate,
    double spearman, double topkOverlap, double controlRandom, double controlNoiseFloor) {

  /** The figures, in column order after model, attack, intervention, seed. */
  public static final List<String> METRICS = MalleabilityFigures.NAMES;

  /** The figure {@code METRICS.get(m)}. */
  double metric(int m) {
    return switch (m) {
      case 0 -> flipRate;
      case 1 -> spearman;
      case 2 -> topkOverlap;
      case 3 -> controlRandom;
      case 4 -> controlNoiseFloor;
      default -> throw new IndexOutOfBoundsException("metric " + m + " of " + METRICS.size());
    };
  }

  /** The (model, attack, intervention) the row's seed belongs to. */
  Key key() {
    return new Key(model, attack, intervention);
  }

  /** The table's values in column order, a figure that is not finite as null. */
  List<Object> values() {
    List<Object> v = new ArrayList<>(List.of(model, attack, intervention, seed));
    for (int m = 0; m < METRICS.size(); m++) {
      double x = metric(m);
      v.add(Double.isFinite(x) ? x : null);
    }
    return v;
  }

  /** A cell over its seeds. */
  record Key(String model, String attack, String intervention) {}
}
