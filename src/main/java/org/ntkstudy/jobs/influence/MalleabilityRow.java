package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code malleability.parquet}: a cell (model, attack, intervention, seed, radius), its
 * figures of SCIENCE §5 — NaN where a figure does not apply (the random-sign control of a
 * {@code curated} cell, the noise floor with one seed) — and the paired per-example outcomes the
 * bootstrap of §5 resamples.
 *
 * @param attack the attack's key, {@code none} for {@code curated}
 * @param flipRate the fraction of the top k (curated: the next k) whose I_i · I'_i &lt; 0
 * @param spearman Spearman ρ of all I_i before and after
 * @param topkOverlap the top-K overlap before and after, K = k
 * @param controlRandom the flip rate under random ±ε signs on the same examples
 * @param controlNoiseFloor the flip rate between this seed and the next, no attack
 * @param eps the attack radius ε in pixels, NaN for {@code curated} (which attacks nothing)
 * @param flips per evaluated example (the top k in rank order; curated: the next k): did the
 *     intervention flip its influence sign
 * @param controlFlips per evaluated example, paired with {@code flips}: did the random-sign control
 *     flip it; null for {@code curated}
 * @param floorFlips per evaluated example: did the next seed's network give its influence the other
 *     sign; null with one seed
 */
public record MalleabilityRow(String model, String attack, String intervention, long seed, double flipRate,
    double spearman, double topkOverlap, double controlRandom, double controlNoiseFloor, double eps, boolean[] flips,
    boolean[] controlFlips, boolean[] floorFlips) {

  /** The figures, in column order after model, attack, intervention, seed (the table's first columns). */
  public static final List<String> METRICS =
      List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor");

  /**
   * The columns after {@link #METRICS}, added at the end: the radius (empty for curated), the
   * per-seed excess flip rate − control_random (empty for curated), the examples evaluated (k) and
   * how many of them the intervention and the control flipped (control empty for curated).
   */
  public static final List<String> ADDED = List.of("eps", "excess", "evaluated", "flips", "control_flips");

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

  /** The (model, attack, intervention, radius) the row's seed belongs to. */
  Key key() {
    return new Key(model, attack, intervention, eps);
  }

  /** Whether the cell attacks (not {@code curated}): it has a radius and a random-sign control. */
  boolean attacked() {
    return controlFlips != null;
  }

  /** The table's values in column order, a figure that is not finite as null. */
  List<Object> values() {
    List<Object> v = new ArrayList<>(List.of(model, attack, intervention, seed));
    for (int m = 0; m < METRICS.size(); m++) {
      v.add(finite(metric(m)));
    }
    v.add(finite(eps));
    v.add(attacked() ? finite(flipRate - controlRandom) : null);
    v.add(flips.length);
    v.add(count(flips));
    v.add(attacked() ? count(controlFlips) : null);
    return v;
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  static int count(boolean[] outcomes) {
    int c = 0;
    for (boolean b : outcomes) {
      c += b ? 1 : 0;
    }
    return c;
  }

  /** A cell over its seeds; {@code eps} NaN for curated (records compare doubles as {@link Double#equals}). */
  record Key(String model, String attack, String intervention, double eps) {}
}
