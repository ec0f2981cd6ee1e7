package org.ntkstudy.math;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training recipes of SCIENCE §4: {@code paper} (500 epochs) and {@code quick} (the same recipe,
 * 10 epochs); and how a recipe reads in a job's recorded configuration (train and influence alike).
 */
public enum TrainingProfile {
  /** The paper's recipe: 500 epochs. */
  PAPER(500),
  /** The same recipe, 10 epochs. */
  QUICK(10);

  private final int epochs;

  TrainingProfile(int epochs) {
    this.epochs = epochs;
  }

  /** The profile's epochs (when {@code --epochs} is not given). */
  public int epochs() {
    return epochs;
  }

  /** The profile's name as the command line and summaries spell it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The training recipe's entries of a job's recorded configuration: profile, epochs (the
   * profile's when not given), lr, gd_lr ({@code auto} when 0), batch, weight_decay, symmetric.
   */
  public static Map<String, Object> recipeMap(String profile, int epochs, double lr, double gdLr, int batch,
      double weightDecay, boolean symmetric) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", profile);
    m.put("epochs", epochs);
    m.put("lr", lr);
    m.put("gd_lr", gdLr == 0 ? "auto" : gdLr);
    m.put("batch", batch);
    m.put("weight_decay", weightDecay);
    m.put("symmetric", symmetric);
    return m;
  }
}
