package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verdicts an influence part decides by itself (SCIENCE §7): C3 per intervention, attack and
 * radius, C4, and {@code dual} from them; a study adds C1 and C2 from its other parts ({@link
 * Verdicts}).
 *
 * @param c3 intervention → attack → radius → verdict
 * @param c4 attention approximates better
 * @param dual the dual implication
 */
@JsonPropertyOrder({"C3", "C4", "dual"})
public record InfluenceVerdicts(
    @JsonProperty("C3") Map<String, Map<String, Map<Double, Verdict>>> c3,
    @JsonProperty("C4") Verdict c4,
    @JsonProperty("dual") Verdict dual) {

  public InfluenceVerdicts {
    Map<String, Map<String, Map<Double, Verdict>>> copy = new LinkedHashMap<>();
    if (c3 != null) {
      c3.forEach((iv, byAttack) -> {
        Map<String, Map<Double, Verdict>> a = new LinkedHashMap<>();
        byAttack.forEach((attack, byRadius) -> a.put(attack, ResultJson.ordered(byRadius)));
        copy.put(iv, ResultJson.ordered(a));
      });
    }
    c3 = ResultJson.ordered(copy);
  }
}
