package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.KernelRidge;
import org.ntkstudy.math.NtkKernels;
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
    Matrix y = ctx.data().train().targets();
    Matrix yt = ctx.data().test().targets();
    Map<String, Krr> krr = new LinkedHashMap<>();
    for (int mi = 0; mi < ctx.inputs().size(); mi++) {
      ModelInputs in = ctx.inputs().get(mi);
      String model = in.model().key();
      if (ctx.factorisation().tiled()) {
        TiledKernelInfluence t = TiledKernelInfluence.ridge(jsc, in.train(), in.test(), y, ctx.config().lambda(),
            ctx.factorisation().tile(), model + "/dual");
        krr.put(model, Krr.of(Blas.multiply(t.kCross(), t.alpha()), yt, t.alignment()));
      } else {
        var h = AnalyticReference.of(jsc, in, Math.min(in.train().rows(), 1024), "influence/dual");
        Matrix f = DriverBlas.allCores(jsc, () -> KernelRidge.predict(h.test(),
            KernelRidge.factor(h.train(), ctx.config().lambda()).solve(y)));
        krr.put(model, Krr.of(f, yt, TrainingRun.alignment(h.train(), y)));
      }
    }
    Table t = table(krr, cleans, malleability);
    ctx.output().writeText("dual.csv", t.csv());
    return t.dual();
  }

  /**
   * Kernel ridge with H∞ on one model's inputs (SCIENCE §6).
   *
   * @param testMse the test mean squared error, summed over outputs
   * @param testAccuracy the test accuracy of its predictions
   * @param alignment H∞'s kernel–target alignment on the training set
   */
  public record Krr(double testMse, double testAccuracy, double alignment) implements java.io.Serializable {
    /** The figures of the test predictions {@code f} against the targets {@code yt}. */
    static Krr of(Matrix f, Matrix yt, double alignment) {
      double mse = 0;
      for (int q = 0; q < f.data().length; q++) {
        double r = f.data()[q] - yt.data()[q];
        mse += r * r;
      }
      return new Krr(mse / yt.rows(), TrainingRun.accuracy(f, yt), alignment);
    }

    /**
     * Kernel ridge with H∞ in the calling thread: H∞ of the model's training inputs {@code x}
     * (x, or x̃ for attn) and of its test inputs {@code xt} against them, λ_ridge {@code lambda}.
     */
    public static Krr local(Matrix x, Matrix xt, Matrix y, Matrix yt, double lambda) {
      Matrix h = NtkKernels.analyticNtk(x, x, true);
      Matrix hc = NtkKernels.analyticNtk(xt, x, false);
      double alignment = TrainingRun.alignment(h, y);
      return of(KernelRidge.predict(hc, KernelRidge.factor(h, lambda).solve(y)), yt, alignment);
    }
  }

  /** The dual table and its {@code dual.csv}. */
  public record Table(DualTable dual, String csv) {}

  /**
   * The dual table from each model's kernel-ridge figures (in the models' order), its clean runs'
   * network figures and the malleability figures at the first attack radius: the flip rates with
   * their bootstrap intervals, and the PGD transformed flip-rate ratio, whose interval decides
   * whether attention is the more malleable. The influence job and the robustness job both build
   * their dual tables with it.
   */
  public static Table table(Map<String, Krr> krr, List<CleanRun> cleans, MalleabilityTable.Summary malleability) {
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
    int mi = 0;
    for (Map.Entry<String, Krr> e : krr.entrySet()) {
      String model = e.getKey();
      Krr k = e.getValue();
      int m = mi++;
      List<CleanRun> mine = cleans.stream().filter(c -> c.modelIndex() == m).toList();
      Map<String, Interval> flips = new LinkedHashMap<>();
      figures.getOrDefault(model, Map.of()).forEach((attack, byIntervention) -> byIntervention.forEach(
          (iv, fig) -> flips.put(DualRow.flipKey(attack, iv), fig.flipRate())));
      DualRow row = new DualRow(k.testMse(), k.testAccuracy(), k.alignment(),
          Interval.of(mine.stream().mapToDouble(CleanRun::testAccuracy).toArray()),
          Interval.of(mine.stream().mapToDouble(CleanRun::testLoss).toArray()),
          Interval.of(mine.stream().mapToDouble(CleanRun::alignment).toArray()), flips);
      table.put(model, row);
      // The CSV keeps the raw figures (NaN as Java prints it); a missing interval mean reads "null".
      csv.append(model).append(',').append(k.testMse()).append(',').append(k.testAccuracy()).append(',')
          .append(k.alignment()).append(',').append((Object) row.netTestAccuracy().mean()).append(',')
          .append((Object) row.netTestLoss().mean()).append(',').append((Object) row.netAlignmentT().mean());
      for (String fk : flipKeys) {
        Interval iv = flips.get(fk);
        csv.append(',').append(iv == null ? "" : String.valueOf(iv.mean()));
      }
      csv.append('\n');
    }
    DualTable.Verdict verdict = null;
    if (krr.containsKey("attn") && krr.containsKey("relu")) {
      Map<String, FlipRateRatio> pgd = malleability.ratio().get("pgd");
      FlipRateRatio r = pgd == null ? null : pgd.get("transformed");
      Boolean vulnerable = r != null && r.present() ? r.above(1) : null;
      verdict = DualTable.Verdict.of(krr.get("attn").testMse(), krr.get("relu").testMse(), vulnerable);
    }
    return new Table(new DualTable(table, verdict), csv.toString());
  }
}
