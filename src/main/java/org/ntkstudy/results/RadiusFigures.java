package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The influence job's malleability figures at one attack radius ε (SCIENCE §5: the radius is a grid
 * axis), the entry {@code by_radius.<radius>} of its summary: the attacked cells' figures and both
 * attn/relu ratios. {@code curated} attacks nothing and does not depend on the radius: it is reported
 * once, in the summary's top-level {@code malleability}, not here.
 *
 * @param malleability model → attack → intervention → figures ({@code transformed}, {@code adversarial})
 * @param ratio attack → intervention → the attn/relu ratio of mean flip rates (where both models ran)
 * @param excessRatio attack → intervention → the attn/relu ratio of mean excesses E = flip rate −
 *     random-sign control rate (where both models ran)
 */
@JsonPropertyOrder({"malleability", "ratio", "excess_ratio"})
public record RadiusFigures(
    Map<String, Map<String, Map<String, MalleabilityFigures>>> malleability,
    Map<String, Map<String, FlipRateRatio>> ratio,
    @JsonProperty("excess_ratio") Map<String, Map<String, FlipRateRatio>> excessRatio) {

  public RadiusFigures {
    malleability = InfluenceResult.frozen(malleability);
    ratio = InfluenceResult.frozen(ratio);
    excessRatio = InfluenceResult.frozen(excessRatio);
  }

  /** The figures of one cell at this radius, or null when there is no such cell. */
  public MalleabilityFigures figures(String model, String attack, String intervention) {
    return InfluenceResult.lookup(malleability, model, attack, intervention);
  }

  /** {@code ratio.<attack>.<intervention>} at this radius, or null. */
  public FlipRateRatio ratio(String attack, String intervention) {
    Map<String, FlipRateRatio> byIntervention = ratio.get(attack);
    return byIntervention == null ? null : byIntervention.get(intervention);
  }

  /** {@code excess_ratio.<attack>.<intervention>} at this radius, or null. */
  public FlipRateRatio excessRatio(String attack, String intervention) {
    Map<String, FlipRateRatio> byIntervention = excessRatio.get(attack);
    return byIntervention == null ? null : byIntervention.get(intervention);
  }
}
