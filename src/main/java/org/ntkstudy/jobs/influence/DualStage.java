package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.KernelRidge;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.results.DualRow;
import org.ntkstudy.results.DualTable;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.spark.AnalyticReference;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.TiledKernelInfluence;

/**
 * The dual-implication table (SCIENCE §6): per model, approximation — kernel ridge with H∞ on the
 * model's inputs (x for relu, x̃ for attn: test MSE, accuracy, kernel–target alignment) and the
 * trained networks (test accuracy, loss, Θ_T's alignment over seeds) — beside vulnerability (the
 * flip rates of SCIENCE §5 at the first attack radius, with their bootstrap intervals), with the
 * statement whether attention's lower approximation error and its higher malleability both hold;
 * {@code dual.csv}.
 */
public final class DualStage {
  private final InfluenceContext ctx;

  public DualStage(InfluenceContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The summary's {@code dual} entry from the malleability figures at the first attack radius
   * ({@link MalleabilityTable.Summary}): the flip rates with their bootstrap intervals, and the PGD
   * transformed flip-rate ratio, whose interval decides whether attention is the more malleable.
   */
  public DualTable run(List<CleanRun> cleans, MalleabilityTable.Summary malleability) {
    JavaSparkContext jsc = ctx.jsc();
    Map<String, Map<String, Map<String, MalleabilityFigures>>> figures = malleability.malleability();
    Map<String, DualRow> table = new LinkedHashMap<>();
    StringBuilder csv = new StringBuilder("model,krr_test_mse,krr_test_accuracy,krr_alignment,net_test_accuracy,"
        + "net_test_loss,net_alignment_T");
    List<String> flipKeys = new ArrayList<>();
    for (Map<String, Map<String, MalleabilityFigures>> byAttack : figures.values()) {
      byAttack.forEach((attack, byIntervention) -> byIntervention.keySet().forEach(iv -> {
        String fk = DualRow.flipKey(attack, iv);
        if (!flipKeys.contains(fk)) {
          flipKeys.add(fk);
        }
      }));
    }
    for (String fk : flipKeys) {
      csv.append(',').append(fk);
    }
    csv.append('\n');
    Map<String, Double> krrMse = new LinkedHashMap<>();
    Matrix y = ctx.data().train().targets();
    Matrix yt = ctx.data().test().targets();
    for (int mi = 0; mi < ctx.inputs().size(); mi++) {
      ModelInputs in = ctx.inputs().get(mi);
      String model = in.model().key();
      Matrix f;
      double krrAlignment;
      if (ctx.factorisation().tiled()) {
        TiledKernelInfluence t = TiledKernelInfluence.ridge(jsc, in.train(), in.test(), y, ctx.config().lambda(),
            ctx.factorisation().tile(), model + "/dual");
        f = Blas.multiply(t.kCross(), t.alpha());
        krrAlignment = t.alignment();
      } else {
        var h = AnalyticReference.of(jsc, in, Math.min(in.train().rows(), 1024), "influence/dual");
        f = DriverBlas.allCores(jsc, () -> KernelRidge.predict(h.test(),
            KernelRidge.factor(h.train(), ctx.config().lambda()).solve(y)));
        krrAlignment = TrainingRun.alignment(h.train(), y);
      }
      double mse = 0;
      for (int q = 0; q < f.data().length; q++) {
        double r = f.data()[q] - yt.data()[q];
        mse += r * r;
      }
      mse /= yt.rows();
      krrMse.put(model, mse);
      double krrAccuracy = TrainingRun.accuracy(f, yt);
      int m = mi;
      List<CleanRun> mine = cleans.stream().filter(c -> c.modelIndex() == m).toList();
      Map<String, Interval> flips = new LinkedHashMap<>();
      figures.getOrDefault(model, Map.of()).forEach((attack, byIntervention) -> byIntervention.forEach(
          (iv, fig) -> flips.put(DualRow.flipKey(attack, iv), fig.flipRate())));
      DualRow row = new DualRow(mse, krrAccuracy, krrAlignment,
          Interval.of(mine.stream().mapToDouble(CleanRun::testAccuracy).toArray()),
          Interval.of(mine.stream().mapToDouble(CleanRun::testLoss).toArray()),
          Interval.of(mine.stream().mapToDouble(CleanRun::alignment).toArray()), flips);
      table.put(model, row);
      // The CSV keeps the raw figures (NaN as Java prints it); a missing interval mean reads "null".
      csv.append(model).append(',').append(mse).append(',').append(krrAccuracy).append(',')
          .append(krrAlignment).append(',').append((Object) row.netTestAccuracy().mean()).append(',')
          .append((Object) row.netTestLoss().mean()).append(',').append((Object) row.netAlignmentT().mean());
      for (String fk : flipKeys) {
        Interval iv = flips.get(fk);
        csv.append(',').append(iv == null ? "" : String.valueOf(iv.mean()));
      }
      csv.append('\n');
    }
    ctx.output().writeText("dual.csv", csv.toString());
    DualTable.Verdict verdict = null;
    if (krrMse.containsKey("attn") && krrMse.containsKey("relu")) {
      Map<String, FlipRateRatio> pgd = malleability.ratio().get("pgd");
      FlipRateRatio r = pgd == null ? null : pgd.get("transformed");
      Boolean vulnerable = r != null && r.present() ? r.above(1) : null;
      verdict = DualTable.Verdict.of(krrMse.get("attn"), krrMse.get("relu"), vulnerable);
    }
    return new DualTable(table, verdict);
  }
}
