package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The {@code study} job's own {@code summary.json}: the study's name and settings, what happened to
 * each part ({@link PartStatus}), where the report is. The parts' results are in their folders'
 * summaries; {@link Results#read} loads them all, typed.
 *
 * @param study the study's name (conf/studies/NAME.properties)
 * @param settings the study's settings after overrides, key → value as written
 * @param parts part → what was done with it, in the order the parts run
 * @param verdicts the verdicts on the paper's claims (SCIENCE §7), from the parts' own numbers; absent in
 *     summaries written before them
 * @param report the report's path relative to the study folder
 * @param totalS the study's seconds
 */
@JsonPropertyOrder({"job", "study", "settings", "parts", "verdicts", "report", "total_s", "provenance"})
public record StudyResult(
    String job,
    String study,
    Map<String, String> settings,
    Map<String, PartStatus> parts,
    @JsonInclude(JsonInclude.Include.NON_NULL) Verdicts verdicts,
    String report,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) {

  /** The value of {@code job}. */
  public static final String JOB = "study";

  public StudyResult {
    settings = ResultJson.ordered(settings);
    parts = ResultJson.ordered(parts);
    totalS = ResultJson.finite(totalS);
  }

  /** What the study did with {@code part}, or null when the summary does not name it. */
  public PartStatus part(String part) {
    return parts.get(part);
  }
}
