package org.ntkstudy.jobs.influence;

import org.ntkstudy.math.Malleability;
import org.ntkstudy.results.LooAgreement;

/**
 * How two vectors of total influences I_i agree (SCIENCE §5): the closed form against the
 * transductive LOO or against retrained networks.
 */
final class LooComparison {
  private LooComparison() {}

  /** Pearson and Spearman correlation, sign agreement, top-k overlap and the largest difference. */
  static LooAgreement compare(double[] reference, double[] other, int k) {
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(reference[i] - other[i]));
      maxRef = Math.max(maxRef, Math.abs(reference[i]));
    }
    return new LooAgreement(Malleability.pearson(reference, other), Malleability.spearman(reference, other),
        Malleability.signAgreement(reference, other), Malleability.topKOverlap(reference, other, k), maxDiff,
        maxRef > 0 ? maxDiff / maxRef : null);
  }

  /** A figure of {@link LooAgreement} as a double for {@link org.ntkstudy.results.Interval#of} (null, a figure that did not exist, as NaN). */
  static double value(Double figure) {
    return figure == null ? Double.NaN : figure;
  }
}
