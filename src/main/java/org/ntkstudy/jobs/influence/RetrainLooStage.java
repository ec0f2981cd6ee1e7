package org.ntkstudy.jobs.influence;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.io.CsvTable;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.LooAgreement;
import org.ntkstudy.results.LooSummary;
import org.ntkstudy.results.RetrainLooSummary;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network-retraining LOO for small n (SCIENCE §5): per model and seed n networks trained by
 * full-batch GD from the same initialisation with example i removed (no weight decay), their
 * f(x_t) − f_{−i}(x_t) against the closed form with Θ_T of the full-data GD network — how well the
 * NTK predicts the network, a finding rather than a check; {@code retrain_loo.parquet} and its CSV.
 */
public final class RetrainLooStage {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainLooStage.class);

  /** Largest n for which {@code auto} runs the retraining LOO (SCIENCE §5: n ≤ about 100). */
  public static final int AUTO_MAX = 100;

  /**
   * What every refit of one (model, seed) shares, broadcast once.
   *
   * @param x the model's training inputs
   * @param xTest the model's test inputs
   * @param w0 the initial first layer
   * @param a the output signs
   * @param fFull the full-data network's test outputs
   */
  public record Refits(Matrix x, Matrix xTest, Matrix w0, Matrix a, TrainingRun.Recipe recipe, Matrix fFull,
      Influence.TargetSpec spec) implements Serializable {}

  private final InfluenceContext ctx;

  public RetrainLooStage(InfluenceContext ctx) {
    this.ctx = ctx;
  }

  /** The summary's {@code retrain_loo} entry, or empty when the stage is off. */
  public Optional<RetrainLooSummary> run(List<CleanRun> cleans) {
    InfluenceJob.Config cfg = ctx.config();
    JavaSparkContext jsc = ctx.jsc();
    Trainer.Loss loss = ctx.loss();
    int n = ctx.n();
    boolean on = cfg.retrainLoo() == InfluenceJob.Switch.ON
        || (cfg.retrainLoo() == InfluenceJob.Switch.AUTO && n <= AUTO_MAX && !ctx.factorisation().tiled());
    if (!on) {
      LOG.info("network-retraining LOO skipped ({} with n = {}; auto runs it up to n = {} when the kernel fits"
          + " --max-driver-mb)", cfg.retrainLoo(), n, AUTO_MAX);
      return Optional.empty();
    }
    List<Row> rows = new ArrayList<>();
    Map<String, LooSummary> models = new LinkedHashMap<>();
    for (int mi = 0; mi < cfg.models().size(); mi++) {
      InfluenceWork.Setup s = ctx.setups().get(mi).value();
      Map<String, LooAgreement> perModel = new LinkedHashMap<>();
      List<Double> corr = new ArrayList<>();
      List<Double> agree = new ArrayList<>();
      for (CleanRun c : cleans) {
        if (c.modelIndex() != mi) {
          continue;
        }
        long seed = c.net().seed();
        Matrix[] z = InfluenceWork.modelInputs(s, s.pixels);
        Matrix w0 = TwoLayerNetwork.initial(cfg.width(), s.x.cols(), cfg.sigma0(), seed, cfg.symmetric()).weights();
        Matrix a = c.net().a();
        TrainingRun.Recipe recipe = Networks.recipe(cfg, Trainer.Optimizer.GD, z[0], w0, 0.0);
        Matrix wFull = InfluenceWork.train(z[0], s.y, w0, a, loss, recipe, seed);
        Matrix fFull = Trainer.outputs(z[1], wFull, a);
        Matrix thetaT = TrainingRun.ntk(z[0], wFull);
        Matrix thetaTest = NtkKernels.empiricalNtkPacked(z[1], NtkKernels.packedPattern(z[1], wFull), z[0],
            NtkKernels.packedPattern(z[0], wFull), wFull.rows(), false);
        Influence inf = Influence.of(thetaT, s.y, cfg.lambda());
        double[] closed = Influence.totals(inf.matrix(thetaTest, c.spec()));
        Broadcast<Refits> b = jsc.broadcast(new Refits(z[0], z[1], w0, a, recipe, fFull, c.spec()));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ids.add(i);
        }
        double[] retrained = new double[n];
        Stages.run(jsc, "influence/retrain-loo", "network-retraining LOO (" + s.model.key() + ", seed " + seed + "): "
            + n + " networks", () -> {
              for (double[] r : jsc.parallelize(ids, Math.min(n, 4 * jsc.defaultParallelism())).map(i -> {
                Refits v = b.value();
                int[] keep = new int[v.x().rows() - 1];
                for (int j = 0, q = 0; j < v.x().rows(); j++) {
                  if (j != i) {
                    keep[q++] = j;
                  }
                }
                Matrix w = InfluenceWork.train(v.x().selectRows(keep), s.y.selectRows(keep), v.w0(), v.a(), loss,
                    v.recipe(), seed);
                Matrix f = Trainer.outputs(v.xTest(), w, v.a());
                Matrix full = v.fFull();
                Matrix delta = new Matrix(f.rows(), f.cols());
                for (int q = 0; q < delta.data().length; q++) {
                  delta.data()[q] = full.data()[q] - f.data()[q];
                }
                double sum = 0;
                for (double x2 : Influence.applyTarget(delta, v.spec())) {
                  sum += x2;
                }
                return new double[] {i, sum};
              }).collect()) {
                retrained[(int) r[0]] = r[1];
              }
            });
        b.unpersist(false);
        for (int i = 0; i < n; i++) {
          rows.add(RowFactory.create(s.model.key(), seed, i, closed[i], retrained[i]));
        }
        LooAgreement m = LooComparison.compare(retrained, closed, Malleability.topCount(cfg.tau(), n));
        perModel.put(Long.toString(seed), m);
        corr.add(LooComparison.value(m.pearson()));
        agree.add(LooComparison.value(m.signAgreement()));
      }
      models.put(s.model.key(), new LooSummary(Interval.of(corr.stream().mapToDouble(Double::doubleValue).toArray()),
          Interval.of(agree.stream().mapToDouble(Double::doubleValue).toArray()), perModel));
    }
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("train_index", DataTypes.IntegerType, false)
        .add("influence_closed_form", DataTypes.DoubleType, false)
        .add("influence_retrained", DataTypes.DoubleType, false);
    ctx.spark().createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(ctx.output().uri("retrain_loo.parquet"));
    CsvTable.write(ctx.output(), "retrain_loo.csv", schema, rows);
    return Optional.of(new RetrainLooSummary(RetrainLooSummary.definition(cfg.epochCount()), models));
  }
}
