package org.ntkstudy.spark;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import scala.Tuple2;

/**
 * The closed-form leave-one-out influence of SCIENCE §5 for a kernel too large for the driver,
 * computed from the tiles of {@link TiledCholesky}:
 *
 * <pre>
 *   K + λI = L Lᵀ,  M = L^{-1},  B = (K + λI)^{-1} = Mᵀ M
 *   B_jj = Σ_i M_ij²  (column norms of M),   α = Mᵀ (M Y)
 *   K* B = P M  with  P = K* Mᵀ
 *   I_c(x_i, x_t) = (α_{i,c} / B_ii) · (K* B)_{t,i}
 * </pre>
 *
 * M Y and P are formed from M's row strips (P is n*×n, the size of K* itself, and comes to the
 * driver); one shuffle turns M into column strips, each of which then yields its examples' B_jj,
 * α rows and influence columns with no further communication. The driver holds K*, K*ᵀ while P is
 * formed, P and two strips of T×n doubles at a time, never an n×n matrix. Flops: n³/3 (Cholesky) +
 * n³/3 (inverse) + 2 n*·n² (P and P M); the driver's path does n³/3 + 2n³/3 (dpotrf, dpotri) +
 * 2 n*·n².
 */
public final class TiledInfluence {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TiledInfluence.class);
  private final JavaSparkContext jsc;
  private final BlockGrid grid;
  private final JavaRDD<TiledCholesky.Strip> columns;
  private final Broadcast<double[][]> p;
  private final Matrix alpha;
  private final double[] diagonal;
  private final double lambda;
  /** n*, the test points P = K* Mᵀ was formed for. */
  private final int nTest;

  private TiledInfluence(JavaSparkContext jsc, BlockGrid grid, JavaRDD<TiledCholesky.Strip> columns,
      Broadcast<double[][]> p, Matrix alpha, double[] diagonal, double lambda, int nTest) {
    this.jsc = jsc;
    this.grid = grid;
    this.columns = columns;
    this.p = p;
    this.alpha = alpha;
    this.diagonal = diagonal;
    this.lambda = lambda;
    this.nTest = nTest;
  }

  /**
   * Factorises K + λI from K's lower row strips ({@link TiledCholesky#lowerStrips}; not modified)
   * and prepares the influence columns for the test kernel {@code kCross} = K(X*, X) (n*×n) and
   * targets Y (n×C).
   */
  public static TiledInfluence of(JavaSparkContext jsc, JavaRDD<TiledCholesky.Strip> kStrips, BlockGrid grid,
      Matrix y, Matrix kCross, double lambda, TiledCholesky.Progress progress) {
    int n = grid.n();
    if (y.rows() != n) {
      throw new IllegalArgumentException("targets have " + y.rows() + " rows, kernel " + n);
    }
    if (kCross.cols() != n) {
      throw new IllegalArgumentException("test kernel has " + kCross.cols() + " columns, kernel " + n);
    }
    long t0 = System.nanoTime();
    JavaRDD<TiledCholesky.Strip> l;
    try {
      l = TiledCholesky.factor(jsc, kStrips, grid, lambda, progress);
    } catch (ArithmeticException e) {
      throw new ArithmeticException("K + lambda I (n = " + n + "): " + e.getMessage() + "; raise --lambda (now "
          + lambda + ")");
    }
    long t1 = System.nanoTime();
    JavaRDD<TiledCholesky.Strip> m = TiledCholesky.invert(jsc, l, grid, progress);
    long t2 = System.nanoTime();
    int nt = grid.numBlocks();
    int c = y.cols();
    int ns = kCross.rows();

    // From M's row strips: (M Y)_i (r_i × C) and P_iᵀ = (K* M_{i,:}ᵀ)ᵀ (r_i × n*), column-major.
    Broadcast<Matrix> yb = jsc.broadcast(y);
    Broadcast<Matrix> kb = jsc.broadcast(kCross.transpose()); // n×n*: K*'s columns for J are rows J
    double[][] my = new double[nt][];
    double[][] pt = new double[nt][];
    for (Object[] o : m.map(s -> {
      BLAS blas = Blas.blas();
      int i = s.index();
      int ri = grid.blockRows(i);
      double[] yi = new double[ri * c];
      double[] pi = new double[ri * ns];
      double[] ya = yb.value().data();
      double[] ka = kb.value().data();
      for (int j = 0; j <= i; j++) {
        int rj = grid.blockRows(j);
        int sj = grid.blockStart(j);
        double[] mij = s.tiles()[j];
        // Y row-major n×C is Yᵀ column-major (ld C): rows sj.. of Y are columns sj.. of Yᵀ.
        blas.dgemm("N", "T", ri, c, rj, 1.0, mij, 0, ri, ya, sj * c, c, 1.0, yi, 0, ri);
        // K*ᵀ row-major n×n* is K* column-major (ld n*): K*[:, J] is the n*×rj slab at column sj.
        if (ns > 0) {
          blas.dgemm("N", "T", ri, ns, rj, 1.0, mij, 0, ri, ka, sj * ns, ns, 1.0, pi, 0, ri);
        }
      }
      return new Object[] {i, yi, pi};
    }).collect()) {
      my[(Integer) o[0]] = (double[]) o[1];
      pt[(Integer) o[0]] = (double[]) o[2];
    }
    yb.destroy();
    kb.destroy();
    long t3 = System.nanoTime();

    JavaRDD<TiledCholesky.Strip> cols = TiledCholesky.columns(m, grid).persist(StorageLevel.MEMORY_AND_DISK());
    Broadcast<double[][]> myb = jsc.broadcast(my);
    Matrix alpha = new Matrix(n, c);
    double[] diagonal = new double[n];
    for (Object[] o : cols.map(s -> {
      BLAS blas = Blas.blas();
      int j = s.index();
      int rj = grid.blockRows(j);
      double[] d = new double[rj];
      double[] aj = new double[rj * c];
      double[][] t = s.tiles();
      for (int q = 0; q < t.length; q++) {
        int ri = grid.blockRows(j + q);
        double[] mij = t[q];
        for (int col = 0; col < rj; col++) {
          double sum = 0;
          for (int r = 0, off = col * ri; r < ri; r++) {
            sum += mij[off + r] * mij[off + r];
          }
          d[col] += sum;
        }
        blas.dgemm("T", "N", rj, c, ri, 1.0, mij, 0, ri, myb.value()[j + q], 0, ri, 1.0, aj, 0, rj);
      }
      return new Object[] {j, d, aj};
    }).collect()) {
      int j = (Integer) o[0];
      int sj = grid.blockStart(j);
      double[] d = (double[]) o[1];
      double[] aj = (double[]) o[2];
      System.arraycopy(d, 0, diagonal, sj, d.length);
      for (int r = 0; r < d.length; r++) {
        for (int q = 0; q < c; q++) {
          alpha.set(sj + r, q, aj[q * d.length + r]);
        }
      }
    }
    myb.destroy();
    m.unpersist(false);
    LOG.info(String.format(java.util.Locale.ROOT, "tiled influence, n = %d in %d strips: Cholesky %.2f s, inverse %.2f s,"
        + " M Y and K* M^T %.2f s, transpose + alpha + diag(B) %.2f s", n, nt, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9));
    return new TiledInfluence(jsc, grid, cols, jsc.broadcast(pt), alpha, diagonal, lambda, ns);
  }

  /**
   * Kernel ridge alone: α = (K + λI)^{-1} Y by the tiled Cholesky and two triangular solves
   * ({@link TiledCholesky#solve}), without the inverse. K's lower row strips are not modified.
   */
  public static Matrix ridge(JavaSparkContext jsc, JavaRDD<TiledCholesky.Strip> kStrips, BlockGrid grid, Matrix y,
      double lambda) {
    JavaRDD<TiledCholesky.Strip> l;
    try {
      l = TiledCholesky.factor(jsc, kStrips, grid, lambda, null);
    } catch (ArithmeticException e) {
      throw new ArithmeticException("K + lambda I (n = " + grid.n() + "): " + e.getMessage() + "; raise --lambda"
          + " (now " + lambda + ")");
    }
    try {
      return TiledCholesky.solve(jsc, l, grid, y);
    } finally {
      l.unpersist(false);
    }
  }

  /**
   * The kernel–target alignment ⟨K, YYᵀ⟩_F / (‖K‖_F ‖YYᵀ‖_F) (as TrainingRun.alignment) from K's
   * lower row strips, without K on the driver.
   */
  public static double alignment(JavaSparkContext jsc, JavaRDD<TiledCholesky.Strip> k, BlockGrid grid, Matrix y) {
    Broadcast<Matrix> yb = jsc.broadcast(y);
    try {
      return alignment(y, k.map(s -> {
        double[] sums = new double[2];
        for (int j = 0; j <= s.index(); j++) {
          addTile(sums, s.tiles()[j], s.index(), j, grid, yb.value());
        }
        return sums;
      }).reduce(TiledInfluence::add));
    } finally {
      yb.destroy();
    }
  }

  /** The same from K's upper-triangle blocks (i ≤ j), as the kernel jobs compute them. */
  public static double alignmentOfBlocks(JavaSparkContext jsc, JavaRDD<MatrixBlock> upper, BlockGrid grid,
      Matrix y) {
    Broadcast<Matrix> yb = jsc.broadcast(y);
    try {
      return alignment(y, upper.map(b -> {
        double[] sums = new double[2];
        // Row-major upper block (i, j) is column-major lower tile (j, i).
        addTile(sums, b.values().data(), b.blockCol(), b.blockRow(), grid, yb.value());
        return sums;
      }).reduce(TiledInfluence::add));
    } finally {
      yb.destroy();
    }
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1]};
  }

  private static double alignment(Matrix y, double[] sums) {
    Matrix yty = Blas.multiplyTransposeLeft(y, y); // ‖YYᵀ‖_F = ‖YᵀY‖_F
    double yyNorm = 0;
    for (double v : yty.data()) {
      yyNorm += v * v;
    }
    return sums[0] / (Math.sqrt(sums[1]) * Math.sqrt(yyNorm));
  }

  /**
   * Adds lower tile (i, j), i ≥ j, column-major, to (⟨K, YYᵀ⟩, ‖K‖²) — twice when off the
   * diagonal, for its mirror image.
   */
  private static void addTile(double[] sums, double[] t, int i, int j, BlockGrid grid, Matrix y) {
    double[] ya = y.data();
    int c = y.cols();
    int ri = grid.blockRows(i);
    int si = grid.blockStart(i);
    int rj = grid.blockRows(j);
    int sj = grid.blockStart(j);
    double dot = 0;
    double sq = 0;
    for (int col = 0; col < rj; col++) {
      for (int r = 0; r < ri; r++) {
        double v = t[col * ri + r];
        double yy = 0;
        for (int q = 0, a = (si + r) * c, b = (sj + col) * c; q < c; q++) {
          yy += ya[a + q] * ya[b + q];
        }
        dot += v * yy;
        sq += v * v;
      }
    }
    double weight = i == j ? 1 : 2;
    sums[0] += weight * dot;
    sums[1] += weight * sq;
  }

  public int n() {
    return grid.n();
  }

  public BlockGrid grid() {
    return grid;
  }

  public double lambda() {
    return lambda;
  }

  /** α = B Y (n×C). */
  public Matrix alpha() {
    return alpha;
  }

  /** diag(B), B = (K + λI)^{-1}. */
  public double[] inverseDiagonal() {
    return diagonal.clone();
  }

  /** The leave-one-out residuals α_{i,c} / B_ii (n×C), as {@link Influence#looResiduals}. */
  public Matrix looResiduals() {
    Matrix r = new Matrix(n(), alpha.cols());
    for (int i = 0; i < n(); i++) {
      for (int q = 0; q < alpha.cols(); q++) {
        r.set(i, q, alpha.get(i, q) / diagonal[i]);
      }
    }
    return r;
  }

  /** The full model's test outputs f(X*) = K* α. */
  public Matrix predict(Matrix kCross) {
    return Blas.multiply(kCross, alpha);
  }

  /**
   * The influence matrix's columns, one task per column strip: (first column, n*×w block) pairs
   * as {@link Influence#block} gives them, not persisted.
   */
  public JavaPairRDD<Integer, Matrix> blocks(Influence.TargetSpec spec) {
    if (spec.size() != nTest) {
      throw new IllegalArgumentException("target spec for " + spec.size() + " test points, K* had " + nTest);
    }
    Broadcast<Influence.TargetSpec> sb = jsc.broadcast(spec);
    Broadcast<Matrix> rb = jsc.broadcast(looResiduals());
    held.add(sb);
    held.add(rb);
    BlockGrid g = grid;
    Broadcast<double[][]> pb = p;
    return columns.mapToPair(s -> {
      int j = s.index();
      int rj = g.blockRows(j);
      int sj = g.blockStart(j);
      double[][] pt = pb.value();
      Influence.TargetSpec sp = sb.value();
      int ns = sp.size();
      // G_jᵀ = Σ_i M_ijᵀ P_iᵀ: column-major rj × n*, i.e. (K* B)[:, J] row-major n*×rj.
      double[] gj = new double[rj * ns];
      double[][] t = s.tiles();
      for (int q = 0; q < t.length && ns > 0; q++) {
        int ri = g.blockRows(j + q);
        Blas.blas().dgemm("T", "N", rj, ns, ri, 1.0, t[q], 0, ri, pt[j + q], 0, ri, 1.0, gj, 0, rj);
      }
      Matrix r = rb.value();
      for (int tt = 0; tt < ns; tt++) {
        int cls = sp.cls()[tt];
        double scale = sp.scale()[tt];
        for (int col = 0, off = tt * rj; col < rj; col++) {
          gj[off + col] *= scale * r.get(sj + col, cls);
        }
      }
      return new Tuple2<>(sj, new Matrix(ns, rj, gj));
    });
  }

  private final List<Broadcast<?>> held = new ArrayList<>();

  /** The number of column strips (tasks of {@link #blocks}). */
  public int tasks() {
    return grid.numBlocks();
  }

  /** Drops the column strips and the broadcasts. */
  public void release() {
    columns.unpersist(false);
    p.destroy();
    for (Broadcast<?> b : held) {
      b.destroy();
    }
    held.clear();
  }
}
