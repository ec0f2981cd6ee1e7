package org.ntkstudy.jobs.influence;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkstudy.math.Malleability;

/**
 * How two vectors of total influences I_i agree (SCIENCE §5): the closed form against the
 * transductive LOO or against retrained networks.
 */
final class LooComparison {
  private LooComparison() {}

  /** Pearson and Spearman correlation, sign agreement, top-k overlap and the largest difference. */
  static Map<String, Object> compare(double[] reference, double[] other, int k) {
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(reference[i] - other[i]));
      maxRef = Math.max(maxRef, Math.abs(reference[i]));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pearson", Malleability.pearson(reference, other));
    m.put("spearman", Malleability.spearman(reference, other));
    m.put("sign_agreement", Malleability.signAgreement(reference, other));
    m.put("topk_overlap", Malleability.topKOverlap(reference, other, k));
    m.put("max_abs_difference", maxDiff);
    m.put("max_abs_difference_relative", maxRef > 0 ? maxDiff / maxRef : null);
    return m;
  }
}
