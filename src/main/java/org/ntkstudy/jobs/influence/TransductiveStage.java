package org.ntkstudy.jobs.influence;

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
import org.ntkstudy.math.Model;
import org.ntkstudy.math.TransductiveLoo;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.LooAgreement;
import org.ntkstudy.results.TransductiveLooSummary;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact transductive LOO of {@code attn} (SCIENCE §5): example i also removed from the
 * attention context (C − x_i x_iᵀ, every x̃ and the kernel recomputed; rank-one updates, parallel
 * over i) against the fixed-kernel closed form; {@code transductive.parquet} and its CSV.
 */
public final class TransductiveStage {
  private static final Logger LOG = LoggerFactory.getLogger(TransductiveStage.class);

  /** Largest n for which {@code auto} runs the transductive LOO. */
  public static final int AUTO_MAX = 2000;

  private final InfluenceContext ctx;

  public TransductiveStage(InfluenceContext ctx) {
    this.ctx = ctx;
  }

  /** The summary's {@code transductive} entry, or empty when attn is not among the models or the stage is off. */
  public Optional<TransductiveLooSummary> run(List<CleanRun> cleans) {
    InfluenceJob.Config config = ctx.config();
    JavaSparkContext jsc = ctx.jsc();
    int mi = config.models().indexOf(Model.ATTN);
    int n = ctx.n();
    boolean on = config.transductive() == InfluenceJob.Switch.ON
        || (config.transductive() == InfluenceJob.Switch.AUTO && n <= AUTO_MAX && !ctx.factorisation().tiled());
    if (mi < 0 || !on) {
      if (mi >= 0) {
        LOG.info("transductive LOO skipped ({} with n = {}; auto runs it up to n = {} when the kernel fits"
            + " --max-driver-mb)", config.transductive(), n, AUTO_MAX);
      }
      return Optional.empty();
    }
    InfluenceWork.Setup s = ctx.setups().get(mi).value();
    List<Row> rows = new ArrayList<>();
    Map<String, LooAgreement> perSeed = new LinkedHashMap<>();
    List<Double> corr = new ArrayList<>();
    List<Double> agree = new ArrayList<>();
    for (CleanRun c : cleans) {
      if (c.modelIndex() != mi) {
        continue;
      }
      TransductiveLoo loo = TransductiveLoo.prepare(s.x, s.xTest, s.y, config.lambda(),
          ctx.empirical() ? c.net().w() : null);
      Broadcast<TransductiveLoo> lb = jsc.broadcast(loo);
      Broadcast<Influence.TargetSpec> sb = jsc.broadcast(c.spec());
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(i);
      }
      int slices = Math.min(n, 4 * jsc.defaultParallelism());
      double[] trans = new double[n];
      Stages.run(jsc, "influence/transductive", "transductive LOO (attn, seed " + c.net().seed() + "): " + n
          + " refits with example i removed from the context, in " + slices + " tasks", () -> {
            for (double[] r : jsc.parallelize(ids, slices).map(i -> {
              double[] v = Influence.applyTarget(lb.value().outputChange(i), sb.value());
              double sum = 0;
              for (double x : v) {
                sum += x;
              }
              return new double[] {i, sum};
            }).collect()) {
              trans[(int) r[0]] = r[1];
            }
          });
      lb.unpersist(false);
      sb.unpersist(false);
      double[] totals = c.totals();
      for (int i = 0; i < n; i++) {
        rows.add(RowFactory.create("attn", c.net().seed(), i, totals[i], trans[i]));
      }
      LooAgreement m = LooComparison.compare(totals, trans, Malleability.topCount(config.tau(), n));
      perSeed.put(Long.toString(c.net().seed()), m);
      corr.add(LooComparison.value(m.pearson()));
      agree.add(LooComparison.value(m.signAgreement()));
    }
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("train_index", DataTypes.IntegerType, false)
        .add("influence_fixed_kernel", DataTypes.DoubleType, false)
        .add("influence_transductive", DataTypes.DoubleType, false);
    ctx.spark().createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(ctx.output().uri("transductive.parquet"));
    CsvTable.write(ctx.output(), "transductive.csv", schema, rows);
    TransductiveLooSummary out = new TransductiveLooSummary(TransductiveLooSummary.DEFINITION,
        Interval.of(corr.stream().mapToDouble(Double::doubleValue).toArray()),
        Interval.of(agree.stream().mapToDouble(Double::doubleValue).toArray()), perSeed);
    return Optional.of(out);
  }
}
