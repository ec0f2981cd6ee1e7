package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the study did with one of its parts: run, kept from an earlier run, recomputed, or not run;
 * where the influence part's networks came from; how long the part took when it ran.
 *
 * @param networks the influence part's source of trained networks, absent for the other parts
 * @param status "run", "finished in an earlier run, kept", "recomputed (settings changed)" or "not run (…)"
 * @param seconds the part's seconds when it ran in this run, else absent
 */
@JsonPropertyOrder({"networks", "status", "seconds"})
public record PartStatus(
    @JsonInclude(JsonInclude.Include.NON_NULL) String networks,
    String status,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double seconds) {

  /** The status of a part that ran in this run. */
  public static final String RUN = "run";
  /** The status of a part kept from an earlier run with the same settings. */
  public static final String KEPT = "finished in an earlier run, kept";
  /** The status of a part recomputed because its settings changed. */
  public static final String RECOMPUTED = "recomputed (settings changed)";
  /** The status of a part that is not in the study's parts. */
  public static final String NOT_RUN = "not run (not in this study's parts)";

  public PartStatus {
    seconds = ResultJson.finite(seconds);
  }

  /** The same status with the part's networks' source. */
  public PartStatus withNetworks(String networks) {
    return new PartStatus(networks, status, seconds);
  }
}
