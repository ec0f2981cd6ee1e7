package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What "at chance" means for one test set (SCIENCE §6): the chance rate c is the largest class
 * share of the test set, and a model is at chance when its seed-mean test accuracy is at most
 * c + max(0.02, 2·√(c(1−c)/n*)).
 *
 * @param chance c
 * @param nTest n*, the test-set size
 * @param threshold c + max(0.02, 2·√(c(1−c)/n*)): a seed-mean accuracy at or below it is at chance
 */
@JsonPropertyOrder({"chance", "n_test", "threshold"})
public record ChanceLevel(double chance, @JsonProperty("n_test") int nTest, double threshold) {

  /** The chance level of a test set whose examples have these class positions (0 … classes − 1). */
  public static ChanceLevel of(int[] testClassIndex, int classes) {
    if (testClassIndex.length == 0) {
      throw new IllegalArgumentException("the test set is empty: no chance rate to compare with");
    }
    int[] count = new int[classes];
    for (int c : testClassIndex) {
      count[c]++;
    }
    int max = 0;
    for (int c : count) {
      max = Math.max(max, c);
    }
    double chance = (double) max / testClassIndex.length;
    return new ChanceLevel(chance, testClassIndex.length, threshold(chance, testClassIndex.length));
  }

  /** c + max(0.02, 2·√(c(1−c)/n*)). */
  public static double threshold(double chance, int nTest) {
    if (nTest < 1) {
      throw new IllegalArgumentException("the test set is empty (n* = " + nTest + "): no chance rate to compare with");
    }
    return chance + Math.max(0.02, 2 * Math.sqrt(chance * (1 - chance) / nTest));
  }

  /** True when a seed-mean test accuracy is at chance. */
  public boolean atChance(double meanAccuracy) {
    return meanAccuracy <= threshold;
  }
}
