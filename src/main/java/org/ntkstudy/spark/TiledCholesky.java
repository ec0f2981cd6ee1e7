package org.ntkstudy.spark;

import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.netlib.util.intW;
import org.ntkstudy.math.Blas;
import scala.Tuple2;

/**
 * Cholesky factorisation and triangular inverse of a symmetric positive definite n×n matrix held
 * in tiles across the executors, for matrices too large for the driver (the influence job past
 * {@code --max-driver-mb}, SCIENCE §5). The driver holds at most two strips at a time (the one
 * broadcast and the one arriving, T rows of the triangle each, with their serialised bytes), never
 * the triangle. Each step is one Spark job of n/T tasks at most, so the parallelism is n/T − k − 1
 * strips at step k; a task holds its strip, the inverse's accumulators and the broadcast strip,
 * about 3–4 × T×n doubles.
 *
 * <p>Layout: the lower triangle in row strips. Strip i holds the tiles (i, 0), …, (i, i) of a
 * {@link BlockGrid} with tile size T, each tile column-major (LAPACK's order) with leading
 * dimension rows(i). Row-major upper-triangle block (j, i) of the kernel job's {@link MatrixBlock}s
 * is, read column-major, exactly lower tile (i, j), so the strips are the kernel's blocks grouped
 * by column, with no copy.
 *
 * <p>Both algorithms are left-looking in row strips, one Spark job per strip, T×n doubles
 * broadcast per step:
 *
 * <pre>
 *   Cholesky  A = L Lᵀ:   step k broadcasts finished strip k; every strip i &gt; k forms
 *                         L_ik = (A_ik − Σ_{l&lt;k} L_il L_klᵀ) L_kk^{-T}   (k GEMMs, one TRSM)
 *                         and D_i −= L_ik L_ikᵀ (one SYRK; D_i starts as A_ii), and strip k+1
 *                         its diagonal L_ii = chol(D_i);
 *   inverse   M = L^{-1}: step k broadcasts finished strip k of M; every strip i &gt; k forms
 *                         W = L_ii^{-1} L_ik (one TRSM) and S'_ij += W M_kj (j ≤ k), and strip
 *                         k+1 finishes M_ij = −S'_ij (j &lt; i),  M_ii = L_ii^{-1}.
 * </pre>
 *
 * Each costs n³/3 flops, like LAPACK's dpotrf and dtrtri; per step every active strip does the
 * same work, so the tasks stay balanced. A step never changes an array an earlier step's cached
 * strip holds (new tiles are new arrays), so a retried task computes the same thing; each step's
 * strips are locally checkpointed, which cuts the lineage and lets the step's broadcast be
 * destroyed (a lost executor fails the job rather than recomputing every earlier step).
 */
public final class TiledCholesky {
  private TiledCholesky() {}

  /** One strip of a tiled triangular matrix: tiles plus, during the inverse, its accumulators. */
  public static final class Strip implements Serializable {
    private static final long serialVersionUID = 1L;
    final int index;
    /** Row strip: tiles (index, 0..index). Column strip: tiles (index + q, index), q = 0, 1, …. */
    final double[][] tiles;
    /**
     * While a strip is unfinished: the Cholesky's running diagonal D_i (one tile), or the
     * inverse's accumulators S'_{index, j}; null otherwise.
     */
    final double[][] work;

    Strip(int index, double[][] tiles, double[][] work) {
      this.index = index;
      this.tiles = tiles;
      this.work = work;
    }

    public int index() {
      return index;
    }

    /** The tiles (column-major); see {@link #tiles}. */
    public double[][] tiles() {
      return tiles;
    }
  }

  /** A tile on its way from a row strip to a column strip. */
  static final class Piece implements Serializable {
    private static final long serialVersionUID = 1L;
    final int row;
    final double[] values;

    Piece(int row, double[] values) {
      this.row = row;
      this.values = values;
    }
  }

  /**
   * The lower row strips of a symmetric matrix from its upper-triangle blocks (i ≤ j), one strip
   * per partition. Lazy.
   */
  public static JavaRDD<Strip> lowerStrips(JavaRDD<MatrixBlock> upper, BlockGrid grid) {
    int nt = grid.numBlocks();
    return upper.mapToPair(b -> new Tuple2<>(b.blockCol(), b))
        .groupByKey(new HashPartitioner(nt))
        .map(t -> {
          int i = t._1();
          double[][] tiles = new double[i + 1][];
          for (MatrixBlock b : t._2()) {
            int j = b.blockRow();
            if (j > i || tiles[j] != null) {
              throw new IllegalStateException("block (" + j + ", " + i + ") is not a new upper-triangle block");
            }
            if (b.values().rows() != grid.blockRows(j) || b.values().cols() != grid.blockRows(i)) {
              throw new IllegalStateException("block (" + j + ", " + i + ") has shape " + b.values());
            }
            tiles[j] = b.values().data();
          }
          for (int j = 0; j <= i; j++) {
            if (tiles[j] == null) {
              throw new IllegalStateException("missing block (" + j + ", " + i + ")");
            }
          }
          return new Strip(i, tiles, null);
        });
  }

  /**
   * The Cholesky factor L of A + shift·I from A's lower row strips (the input is not modified):
   * L's row strips, persisted. {@code progress} is told each finished step (may be null).
   *
   * @throws org.apache.spark.SparkException wrapping an {@link ArithmeticException} naming the
   *     leading minor when A + shift·I is not positive definite
   */
  public static JavaRDD<Strip> factor(JavaSparkContext jsc, JavaRDD<Strip> a, BlockGrid grid, double shift,
      Progress progress) {
    int nt = grid.numBlocks();
    JavaRDD<Strip> cur = a.map(s -> s.index == 0 ? firstDiagonal(s, grid, shift) : s);
    return iterate(jsc, cur, nt, progress, "Cholesky", (s, done, k) -> panel(s, done, k, grid, shift), null);
  }

  /**
   * M = L^{-1} from L's row strips (which this consumes: they are unpersisted): M's row strips,
   * persisted, each strip's tiles (i, 0..i) in {@link Strip#tiles}.
   */
  public static JavaRDD<Strip> invert(JavaSparkContext jsc, JavaRDD<Strip> l, BlockGrid grid, Progress progress) {
    int nt = grid.numBlocks();
    JavaRDD<Strip> cur = l.map(s -> s.index == 0 ? finishInverse(s, new double[0][], grid) : s);
    return iterate(jsc, cur, nt, progress, "inverse", (s, done, k) -> accumulate(s, done, k, grid), l);
  }

  /**
   * X = (L Lᵀ)^{-1} Y from L's row strips ({@link #factor}; persisted, not consumed) and Y (n×C,
   * row-major): a forward and a back substitution, each one small Spark job per strip in which
   * strip k alone works; Y, X and the partial sums (n×C) stay on the driver. n²C flops each way.
   */
  public static org.ntkstudy.math.Matrix solve(JavaSparkContext jsc, JavaRDD<Strip> l, BlockGrid grid,
      org.ntkstudy.math.Matrix y) {
    int nt = grid.numBlocks();
    int c = y.cols();
    if (y.rows() != grid.n()) {
      throw new IllegalArgumentException("right-hand side has " + y.rows() + " rows, the matrix " + grid.n());
    }
    // Per tile, column-major r_k × C.
    double[][] z = new double[nt][];
    for (int k = 0; k < nt; k++) {
      int rk = grid.blockRows(k);
      int sk = grid.blockStart(k);
      double[] yk = new double[rk * c];
      for (int r = 0; r < rk; r++) {
        for (int q = 0; q < c; q++) {
          yk[q * rk + r] = y.get(sk + r, q);
        }
      }
      // z_k = L_kk^{-1} (y_k − Σ_{l<k} L_kl z_l): strip k alone.
      double[][] before = java.util.Arrays.copyOf(z, k);
      int kk = k;
      z[k] = only(l, k, s -> {
        BLAS blas = Blas.blas();
        for (int q = 0; q < kk; q++) {
          blas.dgemm("N", "N", rk, c, grid.blockRows(q), -1.0, s.tiles[q], 0, rk, before[q], 0, grid.blockRows(q),
              1.0, yk, 0, rk);
        }
        blas.dtrsm("L", "L", "N", "N", rk, c, 1.0, s.tiles[kk], 0, rk, yk, 0, rk);
        return new double[][] {yk};
      })[0];
    }
    // x_k = L_kk^{-T} (z_k − Σ_{i>k} L_ikᵀ x_i): strip k finishes x_k and sends L_klᵀ x_k to every l < k.
    double[][] acc = new double[nt][];
    org.ntkstudy.math.Matrix x = new org.ntkstudy.math.Matrix(grid.n(), c);
    for (int k = nt - 1; k >= 0; k--) {
      int rk = grid.blockRows(k);
      double[] rhs = z[k].clone();
      if (acc[k] != null) {
        for (int q = 0; q < rhs.length; q++) {
          rhs[q] -= acc[k][q];
        }
      }
      int kk = k;
      double[][] out = only(l, k, s -> {
        BLAS blas = Blas.blas();
        blas.dtrsm("L", "L", "T", "N", rk, c, 1.0, s.tiles[kk], 0, rk, rhs, 0, rk);
        double[][] o = new double[kk + 1][];
        o[kk] = rhs;
        for (int q = 0; q < kk; q++) {
          int rq = grid.blockRows(q);
          o[q] = new double[rq * c];
          blas.dgemm("T", "N", rq, c, rk, 1.0, s.tiles[q], 0, rk, rhs, 0, rk, 0.0, o[q], 0, rq);
        }
        return o;
      });
      for (int q = 0; q < k; q++) {
        if (acc[q] == null) {
          acc[q] = out[q];
        } else {
          for (int e = 0; e < out[q].length; e++) {
            acc[q][e] += out[q][e];
          }
        }
      }
      int sk = grid.blockStart(k);
      for (int r = 0; r < rk; r++) {
        for (int q = 0; q < c; q++) {
          x.set(sk + r, q, out[k][q * rk + r]);
        }
      }
    }
    return x;
  }

  /** {@code f} of strip {@code i} alone, computed where the strip is cached. */
  private static double[][] only(JavaRDD<Strip> strips, int i,
      org.apache.spark.api.java.function.Function<Strip, double[][]> f) {
    List<double[][]> r = strips.filter(s -> s.index == i).map(f).collect();
    if (r.size() != 1) {
      throw new IllegalStateException(r.size() + " strips with index " + i);
    }
    return r.get(0);
  }

  /**
   * Column strips of a lower-triangular tiled matrix from its row strips (one shuffle of the
   * triangle): strip j holds tiles (j, j), (j+1, j), …, one strip per partition. Lazy.
   */
  public static JavaRDD<Strip> columns(JavaRDD<Strip> rows, BlockGrid grid) {
    int nt = grid.numBlocks();
    return rows.flatMapToPair(s -> {
      List<Tuple2<Integer, Piece>> out = new ArrayList<>(s.index + 1);
      for (int j = 0; j <= s.index; j++) {
        out.add(new Tuple2<>(j, new Piece(s.index, s.tiles[j])));
      }
      return out.iterator();
    }).groupByKey(new HashPartitioner(nt)).map(t -> {
      int j = t._1();
      double[][] tiles = new double[nt - j][];
      for (Piece p : t._2()) {
        tiles[p.row - j] = p.values;
      }
      for (int q = 0; q < tiles.length; q++) {
        if (tiles[q] == null) {
          throw new IllegalStateException("missing tile (" + (j + q) + ", " + j + ")");
        }
      }
      return new Strip(j, tiles, null);
    });
  }

  /** Told when a step of a tiled algorithm finishes. */
  @FunctionalInterface
  public interface Progress extends Serializable {
    void step(String algorithm, int done, int of);
  }

  @FunctionalInterface
  private interface Step extends Serializable {
    Strip apply(Strip s, Strip done, int k) throws Exception;
  }

  /**
   * Runs steps k = 0 … nt − 2 from strips whose strip 0 is finished; returns the finished strips.
   * {@code input}, when given, is unpersisted once the first strips are checkpointed.
   */
  private static JavaRDD<Strip> iterate(JavaSparkContext jsc, JavaRDD<Strip> first, int nt, Progress progress,
      String algorithm, Step step, JavaRDD<Strip> input) {
    JavaRDD<Strip> cur = checkpointed(first);
    Strip done;
    try {
      done = strip(cur, 0);
    } catch (RuntimeException e) {
      cur.unpersist(false);
      throw e;
    }
    if (input != null) {
      input.unpersist(false);
    }
    report(progress, algorithm, 1, nt);
    for (int k = 0; k < nt - 1; k++) {
      Shared b = new Shared(jsc.broadcast(done));
      int kk = k;
      JavaRDD<Strip> next = checkpointed(cur.map(s -> s.index <= kk ? s : step.apply(s, b.strip.value(), kk)));
      try {
        done = strip(next, k + 1); // runs the step: every partition computed, cached and checkpointed
      } catch (RuntimeException e) {
        next.unpersist(false);
        cur.unpersist(false);
        b.release();
        throw e;
      }
      cur.unpersist(false);
      b.release();
      cur = next;
      report(progress, algorithm, k + 2, nt);
    }
    return cur;
  }

  /**
   * The broadcast strip of one step, held so that it can be destroyed once the step's strips are
   * checkpointed: the step's function stays in the RDD (Spark serialises it with every later task
   * on those strips, though never calls it again), and must not carry a destroyed broadcast.
   */
  private static final class Shared implements Serializable {
    private static final long serialVersionUID = 1L;
    Broadcast<Strip> strip;

    Shared(Broadcast<Strip> strip) {
      this.strip = strip;
    }

    void release() {
      strip.destroy();
      strip = null;
    }
  }

  private static void report(Progress progress, String algorithm, int done, int of) {
    if (progress != null) {
      progress.step(algorithm, done, of);
    }
  }

  private static JavaRDD<Strip> checkpointed(JavaRDD<Strip> rdd) {
    rdd.persist(StorageLevel.MEMORY_AND_DISK());
    rdd.rdd().localCheckpoint();
    return rdd;
  }

  /**
   * Strip {@code i} brought to the driver; computes (and caches) every partition of {@code rdd}. A
   * task's {@link ArithmeticException} (a matrix that is not positive definite) is rethrown as
   * itself, not wrapped in Spark's job failure.
   */
  private static Strip strip(JavaRDD<Strip> rdd, int i) {
    List<Strip> s;
    try {
      s = rdd.filter(x -> x.index == i).collect();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ArithmeticException a) {
          throw new ArithmeticException(a.getMessage());
        }
      }
      throw e;
    }
    if (s.size() != 1) {
      throw new IllegalStateException(s.size() + " strips with index " + i);
    }
    return s.get(0);
  }

  // ---------------------------------------------------------------- per-strip kernels (executors)

  private static Strip firstDiagonal(Strip s, BlockGrid grid, double shift) {
    double[][] t = s.tiles.clone();
    t[0] = choleskyDiagonal(s.tiles[0].clone(), grid.blockRows(0), 0, shift);
    return new Strip(0, t, null);
  }

  /**
   * Step k of the factorisation on strip i &gt; k: L_ik, and the running diagonal
   * D_i = A_ii − Σ_{l≤k} L_il L_ilᵀ (kept in {@link Strip#work}), factorised when i = k + 1. The
   * diagonal's updates are spread over the steps, so the strip that finishes does no more work
   * than the others.
   */
  private static Strip panel(Strip s, Strip lk, int k, BlockGrid grid, double shift) {
    BLAS blas = Blas.blas();
    int i = s.index;
    int ri = grid.blockRows(i);
    int rk = grid.blockRows(k);
    double[][] t = s.tiles.clone();
    double[] c = s.tiles[k].clone();
    for (int l = 0; l < k; l++) {
      blas.dgemm("N", "T", ri, rk, grid.blockRows(l), -1.0, s.tiles[l], 0, ri, lk.tiles[l], 0, rk, 1.0, c, 0, ri);
    }
    blas.dtrsm("R", "L", "T", "N", ri, rk, 1.0, lk.tiles[k], 0, rk, c, 0, ri);
    t[k] = c;
    double[] d = (s.work == null ? s.tiles[i] : s.work[0]).clone();
    blas.dsyrk("L", "N", ri, rk, -1.0, c, 0, ri, 1.0, d, 0, ri);
    if (i == k + 1) {
      t[i] = choleskyDiagonal(d, ri, grid.blockStart(i), shift);
      return new Strip(i, t, null);
    }
    return new Strip(i, t, new double[][] {d});
  }

  /** chol(d + shift·I) of one diagonal tile, in place in {@code d} (a fresh copy), strict upper triangle zeroed. */
  private static double[] choleskyDiagonal(double[] d, int r, int start, double shift) {
    for (int q = 0; q < r; q++) {
      d[q * r + q] += shift;
    }
    intW info = new intW(0);
    Blas.lapack().dpotrf("L", r, d, 0, Math.max(1, r), info);
    if (info.val != 0) {
      throw new ArithmeticException(info.val > 0
          ? "the matrix (+ " + shift + " I) is not positive definite (leading minor " + (start + info.val) + ")"
          : "dpotrf: illegal argument " + (-info.val));
    }
    zeroUpper(d, r);
    return d;
  }

  /**
   * Step k of the inverse on strip i &gt; k: W = L_ii^{-1} L_ik, then S'_ij += W M_kj (j ≤ k), so
   * that S'_ij = L_ii^{-1} Σ_l L_il M_lj; for i = k + 1 finishes M's strip i. Each step costs the
   * strip one TRSM and k + 1 GEMMs, the finishing one included.
   */
  private static Strip accumulate(Strip s, Strip mk, int k, BlockGrid grid) {
    BLAS blas = Blas.blas();
    int i = s.index;
    int ri = grid.blockRows(i);
    int rk = grid.blockRows(k);
    double[] w = s.tiles[k].clone();
    blas.dtrsm("L", "L", "N", "N", ri, rk, 1.0, s.tiles[i], 0, ri, w, 0, ri);
    double[][] acc = new double[i][];
    for (int j = 0; j <= k; j++) {
      int rj = grid.blockRows(j);
      double[] prev = s.work == null ? null : s.work[j];
      acc[j] = prev == null ? new double[ri * rj] : prev.clone();
      blas.dgemm("N", "N", ri, rj, rk, 1.0, w, 0, ri, mk.tiles[j], 0, rk, 1.0, acc[j], 0, ri);
    }
    return i == k + 1 ? finishInverse(s, acc, grid) : new Strip(i, s.tiles, acc);
  }

  /** M_ij = −S'_ij (j &lt; i) and M_ii = L_ii^{-1}: strip i of M (L's tiles dropped). */
  private static Strip finishInverse(Strip s, double[][] acc, BlockGrid grid) {
    int i = s.index;
    int ri = grid.blockRows(i);
    double[][] m = new double[i + 1][];
    for (int j = 0; j < i; j++) {
      double[] x = acc[j]; // a fresh array of this step
      for (int q = 0; q < x.length; q++) {
        x[q] = -x[q];
      }
      m[j] = x;
    }
    double[] inv = s.tiles[i].clone();
    intW info = new intW(0);
    Blas.lapack().dtrtri("L", "N", ri, inv, 0, Math.max(1, ri), info);
    if (info.val != 0) {
      throw new ArithmeticException("dtrtri: the Cholesky factor is singular at row " + (grid.blockStart(i)
          + info.val));
    }
    zeroUpper(inv, ri);
    m[i] = inv;
    return new Strip(i, m, null);
  }

  private static void zeroUpper(double[] d, int r) {
    for (int c = 1; c < r; c++) {
      for (int q = 0; q < c; q++) {
        d[c * r + q] = 0.0;
      }
    }
  }
}
