package org.ntkstudy.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import scala.Tuple2;

/**
 * A row matrix (n inputs of dimension d) cut into the row blocks of a {@link BlockGrid} and
 * broadcast once to the executors, where block-pair tasks read it. Broadcasting X (n×d) and
 * scheduling i ≤ j block pairs as tasks was the fastest blocked Gram measured here, 3–4× faster
 * than MLlib's shuffling BlockMatrix (NOTES-spark-blas); X is small next to the n×n matrices
 * built from it, which are never held whole.
 */
public final class BlockedRows {
  /** Tasks per core for the block pairs of {@link #symmetricBlocks} by default. */
  public static final int TASKS_PER_CORE = 3;

  private final JavaSparkContext jsc;
  private final BlockGrid grid;
  private final int dim;
  private final Broadcast<RowBlock[]> blocks;

  private BlockedRows(JavaSparkContext jsc, BlockGrid grid, int dim, Broadcast<RowBlock[]> blocks) {
    this.jsc = jsc;
    this.grid = grid;
    this.dim = dim;
    this.blocks = blocks;
  }

  /** Cuts {@code rows} into blocks of {@code blockSize} rows and broadcasts them. */
  public static BlockedRows broadcast(JavaSparkContext jsc, Matrix rows, int blockSize) {
    BlockGrid grid = new BlockGrid(rows.rows(), blockSize);
    RowBlock[] parts = new RowBlock[grid.numBlocks()];
    for (int i = 0; i < parts.length; i++) {
      int r0 = grid.blockStart(i);
      parts[i] = new RowBlock(i, r0, rows.rowRange(r0, r0 + grid.blockRows(i)));
    }
    return new BlockedRows(jsc, grid, rows.cols(), jsc.broadcast(parts));
  }

  public BlockGrid grid() {
    return grid;
  }

  public int rows() {
    return grid.n();
  }

  public int dim() {
    return dim;
  }

  /** The row blocks as an RDD, one block per partition. */
  public JavaRDD<RowBlock> rdd() {
    Broadcast<RowBlock[]> b = blocks;
    return jsc.parallelize(blockIndices(), grid.numBlocks()).map(i -> b.value()[i]);
  }

  /**
   * The Gramian ZᵀZ (d×d), SCIENCE §1's C = XᵀX for the inputs: one partial product per row
   * block on the executors, summed by a pairwise tree (block 2k with block 2k+1, level by level).
   * Each tree node adds exactly two operands and IEEE addition is commutative, so the result is
   * bit-identical whatever the partitioning or the order tasks finish in.
   */
  public Matrix gramian() {
    Broadcast<RowBlock[]> b = blocks;
    int d = dim;
    JavaPairRDD<Integer, Matrix> level =
        jsc.parallelize(blockIndices(), grid.numBlocks())
            .mapToPair(
                i -> {
                  double[] acc = new double[d * d];
                  Blas.addGramian(b.value()[i].rows(), acc);
                  return new Tuple2<>(i, new Matrix(d, d, acc));
                });
    long keys = grid.numBlocks();
    while (keys > 1) {
      keys = (keys + 1) / 2;
      int parts = (int) Math.max(1, Math.min(keys, jsc.defaultParallelism()));
      level =
          level
              .mapToPair(t -> new Tuple2<>(t._1() / 2, t._2()))
              .reduceByKey(BlockedRows::add, parts);
    }
    List<Tuple2<Integer, Matrix>> root = level.collect();
    Matrix c = root.get(0)._2();
    Blas.symmetrize(c);
    return c;
  }

  private static Matrix add(Matrix a, Matrix b) {
    double[] x = a.data();
    double[] y = b.data();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = x[k] + y[k];
    }
    return new Matrix(a.rows(), a.cols(), out);
  }

  /**
   * Applies {@code transform} to every row block on the executors and gathers the result rows
   * in order (n × d', as small as the input). Used for the attended features X̃ = rows of XC
   * normalised, which later jobs reuse.
   */
  public Matrix mapRows(Function<RowBlock, Matrix> transform) {
    List<Matrix> parts = mapBlocks(transform);
    int cols = parts.get(0).cols();
    double[] out = new double[Math.multiplyExact(grid.n(), cols)];
    int offset = 0;
    for (Matrix m : parts) {
      System.arraycopy(m.data(), 0, out, offset, m.data().length);
      offset += m.data().length;
    }
    if (offset != out.length) {
      throw new IllegalStateException("transformed rows do not add up to " + grid.n());
    }
    return new Matrix(grid.n(), cols, out);
  }

  /**
   * The upper-triangle blocks (i ≤ j) of the symmetric matrix K(X, X) in {@code partitions}
   * tasks, or when it is 0 in {@link #defaultTasks} tasks (about three per core), each computing
   * a run of consecutive block pairs one at a time. Lazy: nothing runs until the RDD is used.
   */
  public JavaRDD<MatrixBlock> symmetricBlocks(BlockKernel kernel, int partitions) {
    List<BlockGrid.BlockPair> pairs = grid.pairs();
    int slices = partitions > 0 ? partitions : defaultTasks(pairs.size(), jsc.defaultParallelism());
    Broadcast<RowBlock[]> b = blocks;
    List<Integer> ids = new ArrayList<>(pairs.size());
    for (int k = 0; k < pairs.size(); k++) {
      ids.add(k);
    }
    BlockGrid.BlockPair[] table = pairs.toArray(new BlockGrid.BlockPair[0]);
    return jsc.parallelize(ids, Math.min(slices, pairs.size()))
        .map(
            k -> {
              BlockGrid.BlockPair p = table[k];
              RowBlock[] rb = b.value();
              Matrix values = kernel.block(rb[p.i()], rb[p.j()], p.i() == p.j());
              return new MatrixBlock(p.i(), p.j(), values);
            });
  }

  /** The most block pairs one task computes by default, so progress and retries stay fine-grained. */
  public static final int MAX_PAIRS_PER_TASK = 16;

  /**
   * Tasks for {@code pairs} block pairs on {@code cores} task slots: {@value #TASKS_PER_CORE} per
   * core, or more when that would give a task over {@value #MAX_PAIRS_PER_TASK} pairs; never more
   * than the pairs. Not one task per pair: Spark's cost per task (scheduling, closure
   * deserialisation, about 10 ms on the 2-core bench machine) is a third of a 1024×1024×784 DGEMM,
   * and G at n = 8192 took 1.10 s in 36 single-pair tasks against 0.87 s in 6 (medians of 8,
   * BENCHMARKS.md). Three per core, not one, so a slow core or executor can be caught up by the
   * others. {@code --partitions} set to the number of pairs gives one task per pair.
   */
  public static int defaultTasks(int pairs, int cores) {
    int byCores = TASKS_PER_CORE * Math.max(1, cores);
    int byCap = (pairs + MAX_PAIRS_PER_TASK - 1) / MAX_PAIRS_PER_TASK;
    return Math.max(1, Math.min(pairs, Math.max(byCores, byCap)));
  }

  /** Applies {@code f} to every row block on the executors; the results in block order. */
  public <T> List<T> mapBlocks(Function<RowBlock, T> f) {
    return rdd().map(f).collect();
  }

  /**
   * All blocks K(X_I, Y_J) of the rectangular kernel between these rows (I) and {@code columns}
   * (J), e.g. test × train, in {@link #defaultTasks} tasks unless {@code partitions} says otherwise.
   * Lazy, like {@link #symmetricBlocks}.
   */
  public JavaRDD<MatrixBlock> crossBlocks(BlockedRows columns, BlockKernel kernel, int partitions) {
    int nr = grid.numBlocks();
    int nc = columns.grid.numBlocks();
    List<Integer> ids = new ArrayList<>(nr * nc);
    for (int k = 0; k < nr * nc; k++) {
      ids.add(k);
    }
    Broadcast<RowBlock[]> rb = blocks;
    Broadcast<RowBlock[]> cb = columns.blocks;
    int slices = partitions > 0 ? Math.min(partitions, ids.size()) : defaultTasks(ids.size(), jsc.defaultParallelism());
    return jsc.parallelize(ids, slices)
        .map(
            k -> {
              int i = k / nc;
              int j = k % nc;
              return new MatrixBlock(i, j, kernel.block(rb.value()[i], cb.value()[j], false));
            });
  }

  /** Releases the broadcast copies on the executors. */
  public void release() {
    blocks.unpersist(false);
  }

  private List<Integer> blockIndices() {
    Integer[] ids = new Integer[grid.numBlocks()];
    Arrays.setAll(ids, i -> i);
    return Arrays.asList(ids);
  }
}
