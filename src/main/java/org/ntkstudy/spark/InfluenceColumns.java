package org.ntkstudy.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import scala.Tuple2;

/**
 * The influence matrix's n columns computed on the executors (SCIENCE §5): B, the LOO residuals,
 * K* and the target spec broadcast once; one task per block of consecutive training examples
 * computes its n*×w block K* B[:, J] scaled by its residuals. The blocks are persisted so the
 * totals and the table rows are computed from one pass.
 */
public final class InfluenceColumns {
  private final JavaPairRDD<Integer, Matrix> blocks;
  private final Runnable release;
  private final int n;
  private final int nTest;
  private final int tasks;

  private InfluenceColumns(JavaPairRDD<Integer, Matrix> blocks, Runnable release, int n, int nTest, int tasks) {
    this.blocks = blocks;
    this.release = release;
    this.n = n;
    this.nTest = nTest;
    this.tasks = tasks;
  }

  /** The columns of a tiled influence: one task per column strip of M = L^{-1}. */
  public static InfluenceColumns tiled(TiledInfluence inf, Influence.TargetSpec spec) {
    JavaPairRDD<Integer, Matrix> blocks = inf.blocks(spec).persist(StorageLevel.MEMORY_AND_DISK());
    return new InfluenceColumns(blocks, inf::release, inf.n(), spec.size(), inf.tasks());
  }

  /** Blocks of at most {@code block} examples, and at least two tasks per core when n allows. */
  public static InfluenceColumns of(JavaSparkContext jsc, Influence inf, Matrix kc, Influence.TargetSpec spec,
      int block) {
    int n = inf.n();
    Broadcast<Matrix> kcb = jsc.broadcast(kc);
    Broadcast<Matrix> bb = jsc.broadcast(inf.inverse());
    Broadcast<Matrix> rb = jsc.broadcast(inf.looResiduals());
    Broadcast<Influence.TargetSpec> sb = jsc.broadcast(spec);
    int cores = 2 * jsc.defaultParallelism();
    int width = Math.max(1, Math.min(block, (n + cores - 1) / cores));
    List<Integer> starts = new ArrayList<>();
    for (int from = 0; from < n; from += width) {
      starts.add(from);
    }
    int w = width;
    JavaPairRDD<Integer, Matrix> blocks = jsc.parallelize(starts, starts.size()).mapToPair(from -> {
      int to = Math.min(n, from + w);
      Matrix b = bb.value();
      return new Tuple2<>(from, Influence.block(kcb.value(), b.data(), from * b.cols(), to - from, from,
          rb.value(), sb.value()));
    }).persist(StorageLevel.MEMORY_AND_DISK());
    return new InfluenceColumns(blocks, () -> List.of(kcb, bb, rb, sb).forEach(b -> b.unpersist(false)), n,
        kc.rows(), starts.size());
  }

  /** (first column, n*×w block) pairs. */
  public JavaPairRDD<Integer, Matrix> blocks() {
    return blocks;
  }

  /** The number of tasks that compute the blocks. */
  public int tasks() {
    return tasks;
  }

  /** I_i = Σ_t I[t, i] for every training example, summed on the executors. */
  public double[] totals() {
    double[] totals = new double[n];
    for (Tuple2<Integer, double[]> b : blocks.mapValues(Influence::totals).collect()) {
      System.arraycopy(b._2(), 0, totals, b._1(), b._2().length);
    }
    return totals;
  }

  /** The whole n*×n influence matrix on the driver (for {@code --npy}). */
  public Matrix collect() {
    Matrix full = new Matrix(nTest, n);
    for (Tuple2<Integer, Matrix> b : blocks.collect()) {
      int from = b._1();
      Matrix m = b._2();
      for (int t = 0; t < m.rows(); t++) {
        System.arraycopy(m.data(), t * m.cols(), full.data(), t * n + from, m.cols());
      }
    }
    return full;
  }

  /** Drops the persisted blocks and what computed them. */
  public void release() {
    blocks.unpersist(false);
    release.run();
  }
}
