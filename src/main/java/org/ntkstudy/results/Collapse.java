package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.ntkstudy.math.CollapseDiagnostics;

/**
 * The collapse diagnostics of a run's attended features, as a summary records them (SCIENCE §6;
 * {@link CollapseDiagnostics}).
 *
 * @param topShare λ1(C)/tr(C)
 * @param meanAlignment mean |x̃·v1|, v1 the top eigenvector of X̃ᵀX̃
 * @param minCosine the smallest pairwise cosine of the x̃ over the first {@code rows} training rows
 * @param rows the rows the smallest cosine was taken over
 */
@JsonPropertyOrder({"top_share", "mean_alignment", "min_cosine", "rows"})
public record Collapse(
    @JsonProperty("top_share") Double topShare,
    @JsonProperty("mean_alignment") Double meanAlignment,
    @JsonProperty("min_cosine") Double minCosine,
    int rows) {

  /** The record of computed diagnostics. */
  public static Collapse of(CollapseDiagnostics d) {
    return new Collapse(d.topShare(), d.meanAlignment(), d.minCosine(), d.rows());
  }

  /** A sentence for the log and the report when the features have collapsed (null when not). */
  public String warning() {
    if (topShare == null || topShare <= CollapseDiagnostics.WARN_TOP_SHARE) {
      return null;
    }
    return String.format(java.util.Locale.ROOT, "the attended features collapse: C's top eigenvalue holds %.0f%% of"
        + " its trace, mean |x~.v1| = %.4f, every x~ within cosine %.3f of every other (SCIENCE §0.1: try"
        + " --input-norm center)", 100 * topShare, meanAlignment, minCosine);
  }
}
