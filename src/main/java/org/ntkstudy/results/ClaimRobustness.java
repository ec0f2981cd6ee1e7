package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether one claim's verdict survives the choices the paper left open (SCIENCE §7): robust when it
 * is the same in every cell of the robustness map, and where each verdict was reached.
 *
 * @param robust whether every cell has the same verdict
 * @param verdict that verdict when robust, else null
 * @param where verdict → the cells ({@link RobustnessCell#label}) that reached it, in the map's order
 */
@JsonPropertyOrder({"robust", "verdict", "where"})
public record ClaimRobustness(boolean robust, String verdict, Map<String, List<String>> where) {

  public ClaimRobustness {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (where != null) {
      where.forEach((v, cells) -> copy.put(v, List.copyOf(cells)));
    }
    where = ResultJson.ordered(copy);
  }

  /** The claim {@code claim} over {@code cells} (cells without that claim are left out). */
  public static ClaimRobustness of(String claim, List<RobustnessCell> cells) {
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (RobustnessCell c : cells) {
      Verdict v = c.verdicts().get(claim);
      if (v != null) {
        where.computeIfAbsent(v.verdict(), x -> new ArrayList<>()).add(c.label());
      }
    }
    boolean robust = where.size() == 1;
    return new ClaimRobustness(robust, robust ? where.keySet().iterator().next() : null, where);
  }

  /** One line: "robust: higher in all 8 cells" or "differs: higher in 3 cells (…), confounded in 5 (…)". */
  public String sentence() {
    StringBuilder sb = new StringBuilder(robust ? "robust: " : "differs: ");
    int i = 0;
    for (Map.Entry<String, List<String>> e : where.entrySet()) {
      sb.append(i++ > 0 ? "; " : "").append(e.getKey()).append(" in ").append(e.getValue().size())
          .append(e.getValue().size() == 1 ? " cell" : " cells");
      if (!robust) {
        sb.append(" (").append(String.join(", ", e.getValue())).append(')');
      }
    }
    return sb.toString();
  }
}
