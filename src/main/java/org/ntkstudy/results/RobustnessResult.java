package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code robustness} job's {@code summary.json} (SCIENCE §7): the grid dataset × input
 * normalisation × attack radius × kernel, every cell with its verdicts on C3 (per intervention and
 * attack), C4 and dual from its own seeds, and per claim whether the verdict is the same in every
 * cell (robust) or where it differs.
 *
 * @param datasets the datasets, in the grid's order
 * @param inputNorms the input normalisations
 * @param attackEps the attack radii
 * @param kernels the kernels ("empirical", "analytic")
 * @param seeds the seeds per cell
 * @param cells the map's cells, dataset-major, then input normalisation, kernel, radius
 * @param claims claim key → its robustness over the cells, in the claims' order
 * @param definitions what the keys mean
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "datasets", "input_norms", "attack_eps", "kernels", "seeds", "cells", "claims",
    "definitions", "total_s", "provenance"})
public record RobustnessResult(
    String job,
    List<String> datasets,
    @JsonProperty("input_norms") List<String> inputNorms,
    @JsonProperty("attack_eps") List<Double> attackEps,
    List<String> kernels,
    int seeds,
    List<RobustnessCell> cells,
    Map<String, ClaimRobustness> claims,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> definitions,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) {

  /** The value of {@code job}. */
  public static final String JOB = "robustness";

  /** The {@code definitions} the job writes. */
  public static final Map<String, String> DEFINITIONS = standardDefinitions();

  public RobustnessResult {
    datasets = List.copyOf(datasets);
    inputNorms = List.copyOf(inputNorms);
    attackEps = ResultJson.finite(attackEps);
    kernels = List.copyOf(kernels);
    cells = List.copyOf(cells);
    claims = ResultJson.ordered(claims);
    definitions = ResultJson.ordered(definitions);
    totalS = ResultJson.finite(totalS);
  }

  /** The cell (dataset, input normalisation, radius, kernel), or null. */
  public RobustnessCell cell(String dataset, String inputNorm, double attackEps, String kernel) {
    return cells.stream().filter(c -> c.dataset().equals(dataset) && c.inputNorm().equals(inputNorm)
        && c.attackEps() == attackEps && c.kernel().equals(kernel)).findFirst().orElse(null);
  }

  private static Map<String, String> standardDefinitions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("cells", "one per dataset x input_norm x attack_eps x kernel; verdicts.<claim> is SCIENCE §7's verdict"
        + " computed from that cell's seeds (C3.<intervention>.<attack> at the cell's radius; C4 and dual do not"
        + " depend on the radius and are the same in the cells of one dataset, input_norm and kernel)");
    d.put("claims", "per claim: robust = the verdict is the same in every cell; verdict = that verdict (null when it"
        + " differs); where = each verdict's cells, named dataset/input_norm/eps=<radius>/kernel");
    d.put("tasks", "one Spark task per (dataset, input_norm, seed): it trains that seed's relu and attn networks"
        + " once and computes every kernel's clean influences and every radius's malleability cells from them");
    return d;
  }
}
