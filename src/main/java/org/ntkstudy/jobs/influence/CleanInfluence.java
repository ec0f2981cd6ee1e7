package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.data.Task;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.spark.BlockStore;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.InfluenceColumns;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.NtkBlockKernels;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TiledKernelInfluence;

/**
 * The clean influences (SCIENCE §5): per model and seed the closed-form leave-one-out influence
 * I(x_i, x_t) = (α_i / B_ii)(K* B)_{t,i} of every training example on every test point, K = Θ_T
 * or H∞ factorised on the driver or in tiles ({@link Factorisation}), the n columns on the
 * executors ({@link InfluenceColumns}); written to {@code influence.parquet} (and the first run's
 * matrix to {@code influence.npy} with {@code --npy}).
 */
public final class CleanInfluence {
  private static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("seed", DataTypes.LongType, false)
      .add("train_index", DataTypes.IntegerType, false)
      .add("source_index", DataTypes.IntegerType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("test_index", DataTypes.IntegerType, false)
      .add("influence", DataTypes.DoubleType, false);

  private final InfluenceContext ctx;

  public CleanInfluence(InfluenceContext ctx) {
    this.ctx = ctx;
  }

  /** Every (model, seed) of {@code networks} (per model, in seed order), in that order. */
  public List<CleanRun> run(List<List<InfluenceWork.Net>> networks) {
    List<CleanRun> out = new ArrayList<>();
    for (int mi = 0; mi < networks.size(); mi++) {
      for (InfluenceWork.Net net : networks.get(mi)) {
        out.add(one(mi, net, out.isEmpty()));
      }
    }
    return out;
  }

  /** One (model, seed); {@code first} writes its matrix to {@code influence.npy} with {@code --npy}. */
  private CleanRun one(int mi, InfluenceWork.Net net, boolean first) {
    JavaSparkContext jsc = ctx.jsc();
    StudyData data = ctx.data();
    ModelInputs in = ctx.inputs().get(mi);
    String model = in.model().key();
    String tag = model + "/seed=" + net.seed();
    Influence.TargetSpec spec;
    InfluenceColumns cols;
    double alignmentT;
    if (ctx.factorisation().tiled()) {
      // Past the driver budget: K in tiles on the executors, factorised and inverted there.
      int tile = ctx.factorisation().tile();
      boolean empirical = ctx.empirical();
      TiledKernelInfluence t = TiledKernelInfluence.of(jsc, in.train(), in.test(), data.train().targets(),
          empirical ? net.w() : null, ctx.config().lambda(), tile, tag, empirical);
      alignmentT = empirical ? t.alignment() : Stages.run(jsc, "influence/alignment",
          "Theta_T (" + tag + ") alignment, in tiles", () -> TiledKernelInfluence.alignment(jsc, in.train(), net.w(),
              data.train().targets(), tile));
      spec = Influence.TargetSpec.of(ctx.config().target(), data.test().targets(),
          t.influence().predict(t.kCross()));
      cols = InfluenceColumns.tiled(t.influence(), spec);
    } else {
      Matrix k;
      Matrix kc;
      int block = ctx.block();
      BlockedRows train = BlockedRows.broadcast(jsc, in.train(), block);
      BlockedRows test = BlockedRows.broadcast(jsc, in.test(), Math.min(block, in.test().rows()));
      Broadcast<Matrix> wb = jsc.broadcast(net.w());
      try {
        var kernel = ctx.empirical() ? NtkBlockKernels.empirical(wb) : NtkBlockKernels.analytic();
        String name = ctx.empirical() ? "Theta_T" : "H_inf";
        k = Stages.run(jsc, "influence/kernel", name + " (" + tag + ") train x train, " + train.grid().numPairs()
            + " blocks", () -> BlockStore.collectSymmetric(train.symmetricBlocks(kernel, 0), train.grid(),
                ctx.config().maxDriverBytes()));
        kc = Stages.run(jsc, "influence/kernel-test", name + " (" + tag + ") test x train",
            () -> BlockStore.assembleRectangular(test.crossBlocks(train, kernel, 0).collect(), test.grid(),
                train.grid()));
      } finally {
        train.release();
        test.release();
        wb.unpersist(false);
      }
      // Θ_T's alignment before K's array becomes B (factorised in place: no second n×n copy).
      alignmentT = ctx.empirical() ? TrainingRun.alignment(k, data.train().targets())
          : TrainingRun.alignment(TrainingRun.ntk(in.train(), net.w()), data.train().targets());
      Influence inf;
      try {
        inf = Stages.run(jsc, "influence/factor", "Cholesky + inverse of K + lambda I (" + tag + ", n = " + k.rows()
            + ") on the driver", () -> DriverBlas.allCores(jsc, () -> Influence.ofInPlace(k,
                data.train().targets(), ctx.config().lambda())));
      } catch (ArithmeticException e) {
        throw new UserInputException(tag + ": " + e.getMessage(), e);
      }
      spec = Influence.TargetSpec.of(ctx.config().target(), data.test().targets(), inf.predict(kc));
      // The n columns on the executors: blocks of training examples, B's rows for them broadcast with K*.
      cols = InfluenceColumns.of(jsc, inf, kc, spec, block);
    }
    double[] totals;
    try {
      totals = Stages.run(jsc, "influence/columns", "influence columns (" + tag + "): " + data.train().n()
          + " training examples in " + cols.tasks() + " tasks", cols::totals);
      write(model, net.seed(), cols);
      if (first && ctx.config().npy()) {
        ctx.output().writeNpy("influence.npy", cols.collect());
      }
    } finally {
      cols.release();
    }

    // Network figures for the dual-implication table.
    Matrix ft = Trainer.outputs(in.test(), net.w(), net.a());
    double testAccuracy = TrainingRun.accuracy(ft, data.test().targets());
    double testLoss = Trainer.loss(ft, data.test().targets(), data.task() == Task.BINARY ? Trainer.Loss.MSE
        : Trainer.Loss.CROSS_ENTROPY);
    return new CleanRun(mi, net, spec, totals, testAccuracy, testLoss, alignmentT);
  }

  /** Appends the run's rows to {@code influence.parquet}: one per (training example, test point). */
  private void write(String model, long seed, InfluenceColumns cols) {
    JavaSparkContext jsc = ctx.jsc();
    StudyData data = ctx.data();
    Broadcast<int[][]> idx = jsc.broadcast(new int[][] {data.train().sourceIndex(), data.train().labels()});
    String uri = ctx.output().uri("influence.parquet");
    Stages.run(jsc, "influence/write", "influence.parquet rows (" + model + "/seed=" + seed + ")", () -> {
      JavaRDD<Row> rows = cols.blocks().flatMap(b -> {
        int from = b._1();
        Matrix m = b._2();
        int[][] ix = idx.value();
        List<Row> out = new ArrayList<>(m.rows() * m.cols());
        for (int j = 0; j < m.cols(); j++) {
          for (int t = 0; t < m.rows(); t++) {
            out.add(RowFactory.create(model, seed, from + j, ix[0][from + j], ix[1][from + j], t, m.get(t, j)));
          }
        }
        return out.iterator();
      });
      ctx.spark().createDataFrame(rows, SCHEMA).write().mode("append").parquet(uri);
    });
    idx.unpersist(false);
  }
}
