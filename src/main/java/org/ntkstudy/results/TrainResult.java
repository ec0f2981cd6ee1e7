package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code train} job's {@code summary.json} (SCIENCE §4): the grid's seed intervals per
 * {@code groups.<model>.<m>.<σ0>.<optimiser>} (σ0 written as Java prints a double, e.g. "0.01",
 * "1.0"), read with {@link #figures} and {@link #interval}.
 *
 * @param task "binary" or "multiclass"
 * @param loss "mse" or "cross_entropy"
 * @param nTest the test-set size
 * @param epochs epochs per network
 * @param cells how many networks were trained
 * @param groups model → width → σ0 → optimiser → figures
 * @param chance the test set's chance level (SCIENCE §6); absent in summaries written before it
 * @param atChance model → width → σ0 → optimiser → whether the group's seed-mean test accuracy is at
 *     chance (SCIENCE §6)
 * @param collapse the attended features' collapse diagnostics, when the grid has attn (SCIENCE §6)
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "dataset", "task", "loss", "n", "n_test", "epochs", "cells", "groups", "chance",
    "at_chance", "collapse", "total_s", "provenance"})
public record TrainResult(
    String job,
    String dataset,
    String task,
    String loss,
    int n,
    @JsonProperty("n_test") int nTest,
    int epochs,
    int cells,
    Map<String, Map<Integer, Map<Double, Map<String, TrainFigures>>>> groups,
    @JsonInclude(JsonInclude.Include.NON_NULL) ChanceLevel chance,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("at_chance")
        Map<String, Map<Integer, Map<Double, Map<String, Boolean>>>> atChance,
    @JsonInclude(JsonInclude.Include.NON_NULL) Collapse collapse,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) implements PartResult {

  /** The value of {@code job}. */
  public static final String JOB = "train";

  public TrainResult {
    groups = groups == null ? null : frozen(groups);
    atChance = atChance == null ? null : frozen(atChance);
    totalS = ResultJson.finite(totalS);
  }

  /** Whether the group's seed-mean test accuracy is at chance (SCIENCE §6); null when not recorded. */
  public Boolean atChance(String model, int width, double sigma0, String optimizer) {
    var byWidth = atChance == null ? null : atChance.get(model);
    var bySigma = byWidth == null ? null : byWidth.get(width);
    var byOpt = bySigma == null ? null : bySigma.get(sigma0);
    return byOpt == null ? null : byOpt.get(optimizer);
  }

  /** The models of the grid, in the file's order. */
  public List<String> models() {
    return List.copyOf(groups.keySet());
  }

  /**
   * Where a train output keeps one network's weights ({@code W.npy}, {@code a.npy}), relative to the
   * output folder: the layout the train job writes and the influence job's {@code --train-dir} reads.
   */
  public static String weightsDir(String model, double sigma0, String optimizer, int width, long seed) {
    return "weights/" + model + "/sigma0=" + sigma0 + "/opt=" + optimizer + "/m=" + width + "/seed=" + seed;
  }

  /** The figures of one group, or null when the grid has no such group. */
  public TrainFigures figures(String model, int width, double sigma0, String optimizer) {
    var byWidth = groups.get(model);
    var bySigma = byWidth == null ? null : byWidth.get(width);
    var byOpt = bySigma == null ? null : bySigma.get(sigma0);
    return byOpt == null ? null : byOpt.get(optimizer);
  }

  /** {@code groups.<model>.<width>.<sigma0>.<optimizer>.<figure>} ({@link TrainFigures#NAMES}), or null. */
  public Interval interval(String model, int width, double sigma0, String optimizer, String figure) {
    TrainFigures f = figures(model, width, sigma0, optimizer);
    return f == null ? null : f.figure(figure);
  }

  @SuppressWarnings("unchecked")
  private static <T> T frozen(T tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, frozen(v)));
      return (T) Collections.unmodifiableMap(out);
    }
    return tree;
  }
}
