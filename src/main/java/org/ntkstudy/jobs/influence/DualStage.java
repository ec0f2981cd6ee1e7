package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.jobs.WidthSweepJob;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.KernelRidge;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.TrainingRun;
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
  public Map<String, Object> run(List<CleanRun> cleans, MalleabilityTable malleability, Map<String, Object> ratio) {
    JavaSparkContext jsc = ctx.jsc();
    Map<MalleabilityRow.Key, List<MalleabilityRow>> groups = malleability.groups();
    Map<String, Object> table = new LinkedHashMap<>();
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
      int m = mi;
      List<CleanRun> mine = cleans.stream().filter(c -> c.modelIndex() == m).toList();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("krr_test_mse", mse);
      row.put("krr_test_accuracy", TrainingRun.accuracy(f, yt));
      row.put("krr_alignment", krrAlignment);
      row.put("net_test_accuracy", WidthSweepJob.interval(mine.stream().mapToDouble(CleanRun::testAccuracy).toArray()));
      row.put("net_test_loss", WidthSweepJob.interval(mine.stream().mapToDouble(CleanRun::testLoss).toArray()));
      row.put("net_alignment_T", WidthSweepJob.interval(mine.stream().mapToDouble(CleanRun::alignment).toArray()));
      Map<String, Object> flips = new LinkedHashMap<>();
      for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> g : groups.entrySet()) {
        if (g.getKey().model().equals(model)) {
          flips.put(flipKey(g.getKey()),
              WidthSweepJob.interval(g.getValue().stream().mapToDouble(MalleabilityRow::flipRate).toArray()));
        }
      }
      row.put("vulnerability", flips);
      table.put(model, row);
      csv.append(model).append(',').append(mse).append(',').append(row.get("krr_test_accuracy")).append(',')
          .append(row.get("krr_alignment")).append(',').append(mean(row.get("net_test_accuracy"))).append(',')
          .append(mean(row.get("net_test_loss"))).append(',').append(mean(row.get("net_alignment_T")));
      for (String fk : flipKeys) {
        Object iv = flips.get(fk);
        csv.append(',').append(iv == null ? "" : String.valueOf(mean(iv)));
      }
      csv.append('\n');
    }
    ctx.output().writeText("dual.csv", csv.toString());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", table);
    if (krrMse.containsKey("attn") && krrMse.containsKey("relu")) {
      boolean approx = krrMse.get("attn") < krrMse.get("relu");
      Boolean vulnerable = null;
      Object pgd = ratio.get("pgd") instanceof Map<?, ?> mp ? mp.get("transformed") : null;
      if (pgd instanceof Map<?, ?> r && r.get("lo") instanceof Double lo) {
        vulnerable = lo > 1;
      }
      out.put("attn_approximates_better", approx);
      out.put("attn_more_malleable", vulnerable);
      out.put("statement", String.format(Locale.ROOT,
          "kernel ridge with H_inf: test MSE %.4g on x~ (attn) vs %.4g on x (relu), so attention %s; the attn/relu"
              + " flip-rate ratio (PGD, transformed) %s; both hold: %s",
          krrMse.get("attn"), krrMse.get("relu"), approx ? "approximates better" : "does not approximate better",
          vulnerable == null ? "was not measured or does not exist" : vulnerable ? "has its 95% interval above 1"
              : "does not have its 95% interval above 1",
          vulnerable == null ? "undetermined" : Boolean.toString(approx && vulnerable)));
    }
    return out;
  }

  private static String flipKey(MalleabilityRow.Key key) {
    return "flip_rate_" + key.attack() + "_" + key.intervention();
  }

  private static Object mean(Object interval) {
    return interval instanceof Map<?, ?> m ? m.get("mean") : interval;
  }
}
