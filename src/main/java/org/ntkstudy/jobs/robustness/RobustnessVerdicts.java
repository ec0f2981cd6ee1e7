package org.ntkstudy.jobs.robustness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkstudy.jobs.influence.CleanRun;
import org.ntkstudy.jobs.influence.DualStage;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.influence.InfluenceWork;
import org.ntkstudy.jobs.influence.MalleabilityStage;
import org.ntkstudy.jobs.influence.MalleabilityTable;
import org.ntkstudy.jobs.influence.SeedWork;
import org.ntkstudy.results.ChanceLevel;
import org.ntkstudy.results.ClaimVerdicts;
import org.ntkstudy.results.DualTable;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.InfluenceVerdicts;
import org.ntkstudy.results.PaperFlipRates;
import org.ntkstudy.results.RobustnessCell;
import org.ntkstudy.results.Verdict;

/**
 * The verdicts of one (dataset, input normalisation, kernel) of the robustness map over its seeds,
 * computed as the influence job computes its own (SCIENCE §5–§7): the malleability table of the
 * seeds' outcomes with its noise floors ({@link MalleabilityStage#table}), its §5 bootstrap, the
 * dual table ({@link DualStage#table}), and {@link ClaimVerdicts#influence} — then read per radius:
 * one {@link RobustnessCell} per attack radius.
 */
final class RobustnessVerdicts {
  private RobustnessVerdicts() {}

  /**
   * One (dataset, input normalisation): its influence settings, sizes, the data its tasks share,
   * kernel ridge with H∞ per model (SCIENCE §6; it depends on neither seed nor kernel) and the test
   * set's chance level.
   */
  record Group(InfluenceJob.Config config, String task, int n, int nTest, int k, SeedWork.Data data,
      Map<String, DualStage.Krr> krr, ChanceLevel chance) {}

  /**
   * One (dataset, input normalisation, kernel), evaluated.
   *
   * @param name {@code <dataset>_<input norm>_<kernel>}
   * @param malleability its malleability rows over every seed and radius
   * @param numbers the influence job's summary of those rows
   * @param cells one per radius, with its verdicts
   */
  record Evaluated(String name, MalleabilityTable malleability, InfluenceResult numbers, List<RobustnessCell> cells) {}

  /** The cells of {@code group} under the kernel {@code kernel} (the {@code ki}-th) from its seeds' outcomes. */
  static Evaluated evaluate(Group group, InfluenceJob.KernelKind kernel, int ki, List<SeedWork.SeedOutcome> seeds) {
    InfluenceJob.Config cfg = group.config().withKernel(kernel);
    List<List<SeedWork.ModelOutcome>> bySeed = new ArrayList<>();
    for (SeedWork.SeedOutcome s : seeds) {
      bySeed.add(s.byKernel().get(ki));
    }
    List<CleanRun> cleans = SeedWork.cleans(cfg.models().size(), bySeed);
    List<InfluenceWork.CellSpec> specs = MalleabilityStage.specs(cfg, cleans.size());
    MalleabilityTable table = MalleabilityStage.table(cfg, specs, SeedWork.figures(cfg, specs, bySeed), cleans,
        group.k());
    MalleabilityTable.Summary effects = table.summary(cfg.bootstrap(), cfg.data().seed());
    DualTable dual = DualStage.table(group.krr(), cleans, effects).dual();
    String kernelKey = kernel.name().toLowerCase(Locale.ROOT);
    InfluenceResult numbers = new InfluenceResult(InfluenceResult.JOB, cfg.data().dataset(), group.task(), group.n(),
        group.nTest(), cfg.lambda(), kernelKey, cfg.target().key(), group.k(), cfg.tau(), cfg.eps(), cfg.attackEps(),
        "in one task per network (robustness)", effects.malleability(), effects.ratio(), effects.excessRatio(),
        effects.byRadius(), PaperFlipRates.PAPER, null, null, dual, group.chance(), null, null, null, null, null);
    InfluenceVerdicts v = ClaimVerdicts.influence(numbers, group.chance());
    List<RobustnessCell> cells = new ArrayList<>();
    for (double eps : cfg.attackEps()) {
      Map<String, Verdict> verdicts = new LinkedHashMap<>();
      v.c3().forEach((iv, byAttack) -> byAttack.forEach((attack, byRadius) -> {
        Verdict at = byRadius.get(eps);
        if (at != null) {
          verdicts.put("C3." + iv + "." + attack, at);
        }
      }));
      verdicts.put("C4", v.c4());
      verdicts.put("dual", v.dual());
      cells.add(new RobustnessCell(cfg.data().dataset(), cfg.data().inputNorm(), eps, kernelKey, verdicts));
    }
    return new Evaluated(cfg.data().dataset() + "_" + cfg.data().inputNorm() + "_" + kernelKey, table,
        numbers.withVerdicts(v), cells);
  }
}
