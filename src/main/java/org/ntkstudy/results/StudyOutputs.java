package org.ntkstudy.results;

import java.util.Map;

/**
 * A study folder's results, typed: the study's own summary and each part's (null when the part has
 * no summary.json).
 *
 * @param study the study's summary, or null while the study has not finished
 * @param spectrum the spectrum part's result, or null
 * @param sweep the sweep part's result, or null
 * @param train the train part's result, or null
 * @param influence the influence part's result, or null
 * @param absent part → why it has no result (no folder, or no summary.json yet), in the parts' order
 */
public record StudyOutputs(
    StudyResult study,
    SpectrumResult spectrum,
    SweepResult sweep,
    TrainResult train,
    InfluenceResult influence,
    Map<String, String> absent) {

  public StudyOutputs {
    absent = ResultJson.ordered(absent);
  }

  /** Whether {@code part} ("spectrum", "sweep", "train", "influence") has a result. */
  public boolean has(String part) {
    return switch (part) {
      case "spectrum" -> spectrum != null;
      case "sweep" -> sweep != null;
      case "train" -> train != null;
      case "influence" -> influence != null;
      default -> throw new IllegalArgumentException("no study part " + part + "; one of " + Results.PARTS);
    };
  }
}
