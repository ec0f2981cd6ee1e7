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
import org.ntkstudy.spark.AnalyticReference;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.TiledKernelInfluence;

/**
 * The dual-implication table (SCIENCE §6): per model, approximation — kernel ridge with H∞ on the
 * model's inputs (x for relu, x̃ for attn: test MSE, accuracy, kernel–target alignment) and the
 * trained networks (test accuracy, loss, Θ_T's alignment over seeds) — beside vulnerability (the
 * flip rates of SCIENCE §5), with the statement whether attention's lower approximation error and
 * its higher malleability both hold; {@code dual.csv}.
 */
public final class DualStage {
  private final InfluenceContext ctx;

  public DualStage(InfluenceContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The summary's {@code dual} entry; {@code ratio} is {@link MalleabilityTable#ratio}'s, whose PGD
   * transformed interval decides whether attention is the more malleable.
   */
  public DualTable run(List<CleanRun> cleans, MalleabilityTable malleability,
      Map<String, Map<String, FlipRateRatio>> ratio) {
    JavaSparkContext jsc = ctx.jsc();
    Map<MalleabilityRow.Key, List<MalleabilityRow>> groups = malleability.groups();
    Map<String, DualRow> table = new LinkedHashMap<>();
    StringBuilder csv = new StringBuilder("model,krr_test_mse,krr_test_accuracy,krr_alignment,net_test_accuracy,"
        + "net_test_loss,net_alignment_T");
    List<String> flipKeys = new ArrayList<>();
    for (MalleabilityRow.Key key : groups.keySet()) {
      String fk = flipKey(key);
      if (!flipKeys.contains(fk)) {
        flipKeys.add(fk);
      }
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
      for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> g : groups.entrySet()) {
        if (g.getKey().model().equals(model)) {
          flips.put(flipKey(g.getKey()),
              Interval.of(g.getValue().stream().mapToDouble(MalleabilityRow::flipRate).toArray()));
        }
      }
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
      Map<String, FlipRateRatio> pgd = ratio.get("pgd");
      FlipRateRatio r = pgd == null ? null : pgd.get("transformed");
      Boolean vulnerable = r != null && r.lo() != null ? r.lo() > 1 : null;
      verdict = DualTable.Verdict.of(krrMse.get("attn"), krrMse.get("relu"), vulnerable);
    }
    return new DualTable(table, verdict);
  }

  private static String flipKey(MalleabilityRow.Key key) {
    return DualRow.flipKey(key.attack(), key.intervention());
  }
}
