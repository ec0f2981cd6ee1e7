package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.testing.SparkTestSession;

/** The tiled Cholesky, inverse and influence against LAPACK on the whole matrix. */
class TiledInfluenceTest {
  /** Z Zᵀ on {@code points} points of a Gaussian Z with {@code rank} columns (ill-conditioned when rank &lt; points). */
  private static Matrix kernel(int points, int rank, long seed) {
    Random rnd = new Random(seed);
    Matrix z = new Matrix(points, rank);
    for (int i = 0; i < z.data().length; i++) {
      z.data()[i] = rnd.nextGaussian();
    }
    Matrix k = Blas.multiplyTransposed(z, z);
    Blas.symmetrize(k);
    return k;
  }

  private static Matrix sub(Matrix k, int r0, int r1, int c0, int c1) {
    Matrix s = new Matrix(r1 - r0, c1 - c0);
    for (int i = r0; i < r1; i++) {
      for (int j = c0; j < c1; j++) {
        s.set(i - r0, j - c0, k.get(i, j));
      }
    }
    return s;
  }

  private static Matrix targets(int n, int c, long seed) {
    return org.ntkstudy.testing.TestData.targets(new Random(seed), n, c);
  }

  /** K's upper-triangle blocks (i ≤ j), row-major, as the kernel jobs produce them. */
  private static JavaRDD<MatrixBlock> upper(JavaSparkContext jsc, Matrix k, BlockGrid grid) {
    List<MatrixBlock> blocks = new ArrayList<>();
    for (BlockGrid.BlockPair p : grid.pairs()) {
      int r0 = grid.blockStart(p.i());
      int c0 = grid.blockStart(p.j());
      blocks.add(new MatrixBlock(p.i(), p.j(), sub(k, r0, r0 + grid.blockRows(p.i()), c0,
          c0 + grid.blockRows(p.j()))));
    }
    return jsc.parallelize(blocks, 3);
  }

  /** A lower-triangular tiled matrix (row strips) assembled dense, row-major. */
  private static Matrix dense(List<TiledCholesky.Strip> strips, BlockGrid grid) {
    int n = grid.n();
    Matrix out = new Matrix(n, n);
    for (TiledCholesky.Strip s : strips) {
      int i = s.index();
      int ri = grid.blockRows(i);
      for (int j = 0; j <= i; j++) {
        int rj = grid.blockRows(j);
        double[] t = s.tiles()[j];
        for (int c = 0; c < rj; c++) {
          for (int r = i == j ? c : 0; r < ri; r++) {
            out.set(grid.blockStart(i) + r, grid.blockStart(j) + c, t[c * ri + r]);
          }
        }
      }
    }
    return out;
  }

  private static double maxAbs(Matrix m) {
    double s = 0;
    for (double v : m.data()) {
      s = Math.max(s, Math.abs(v));
    }
    return s;
  }

  @Test
  void choleskyAndInverseEqualLapackAndLeaveTheInputUnchanged() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    int n = 203;
    Matrix k = kernel(n, 150, 3);
    double lambda = 0.5;
    BlockGrid grid = new BlockGrid(n, 50); // tiles of 50, 50, 50, 50, 3
    JavaRDD<TiledCholesky.Strip> a = TiledCholesky.lowerStrips(upper(jsc, k, grid), grid).cache();
    List<String> steps = new ArrayList<>();
    JavaRDD<TiledCholesky.Strip> l = TiledCholesky.factor(jsc, a, grid, lambda, (alg, d, of) -> steps.add(alg + d));
    Matrix lt = dense(l.collect(), grid);

    Matrix shifted = k.copy();
    for (int i = 0; i < n; i++) {
      shifted.set(i, i, shifted.get(i, i) + lambda);
    }
    // L Lᵀ = K + λI, L lower triangular.
    Matrix llt = Blas.multiplyTransposed(lt, lt);
    assertTrue(llt.maxAbsDiff(shifted) <= 1e-12 * maxAbs(shifted), "|L Lt - A| = " + llt.maxAbsDiff(shifted));
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        assertEquals(0.0, lt.get(i, j), "L(" + i + ", " + j + ")");
      }
    }
    // The input strips still hold K.
    assertEquals(0.0, dense(a.collect(), grid).maxAbsDiff(lowerOf(k)));

    Matrix mt = dense(TiledCholesky.invert(jsc, l, grid, (alg, d, of) -> steps.add(alg + d)).collect(), grid);
    Matrix lm = Blas.multiply(lt, mt);
    Matrix eye = new Matrix(n, n);
    for (int i = 0; i < n; i++) {
      eye.set(i, i, 1.0);
    }
    assertTrue(lm.maxAbsDiff(eye) <= 1e-10, "|L M - I| = " + lm.maxAbsDiff(eye));
    assertEquals(List.of("Cholesky1", "Cholesky2", "Cholesky3", "Cholesky4", "Cholesky5", "inverse1", "inverse2",
        "inverse3", "inverse4", "inverse5"), steps);
    a.unpersist();
  }

  private static Matrix lowerOf(Matrix k) {
    Matrix out = k.copy();
    for (int i = 0; i < k.rows(); i++) {
      for (int j = i + 1; j < k.cols(); j++) {
        out.set(i, j, 0.0);
      }
    }
    return out;
  }

  @Test
  void influenceEqualsTheDriversClosedForm() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    // (n, tile, classes, lambda): uneven tiles, one tile, tiny tiles; an ill-conditioned kernel.
    Object[][] cases = {{203, 50, 3, 1e-3}, {120, 120, 1, 0.1}, {9, 2, 1, 1e-3}, {150, 40, 10, 1e-2}};
    for (Object[] cs : cases) {
      int n = (Integer) cs[0];
      int tile = (Integer) cs[1];
      int c = (Integer) cs[2];
      double lambda = (Double) cs[3];
      int nt = 37;
      Matrix all = kernel(n + nt, Math.max(2, n * 3 / 4), n + tile);
      Matrix k = sub(all, 0, n, 0, n);
      Matrix kc = sub(all, n, n + nt, 0, n);
      Matrix y = targets(n, c, n);
      Matrix yt = targets(nt, c, n + 1);
      BlockGrid grid = new BlockGrid(n, tile);
      Influence ref = Influence.of(k, y, lambda);
      JavaRDD<TiledCholesky.Strip> strips = TiledCholesky.lowerStrips(upper(jsc, k, grid), grid);
      TiledInfluence tiled = TiledInfluence.of(jsc, strips, grid, y, kc, lambda, null);
      try {
        String tag = "n=" + n + " tile=" + tile + " C=" + c + ": ";
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
          b[i] = ref.inverse().get(i, i);
        }
        double[] bt = tiled.inverseDiagonal();
        for (int i = 0; i < n; i++) {
          assertEquals(b[i], bt[i], 1e-9 * Math.abs(b[i]), tag + "B_ii at " + i);
        }
        assertTrue(tiled.alpha().maxAbsDiff(ref.alpha()) <= 1e-9 * maxAbs(ref.alpha()), tag + "alpha");
        assertTrue(tiled.looResiduals().maxAbsDiff(ref.looResiduals()) <= 1e-9 * maxAbs(ref.looResiduals()),
            tag + "residuals");
        for (Influence.Target target : Influence.Target.values()) {
          Influence.TargetSpec spec = Influence.TargetSpec.of(target, yt, ref.predict(kc));
          Matrix expected = ref.matrix(kc, spec);
          Matrix got = new Matrix(nt, n);
          int seen = 0;
          for (scala.Tuple2<Integer, Matrix> o : tiled.blocks(spec).collect()) {
            int from = o._1();
            Matrix m = o._2();
            assertEquals(nt, m.rows());
            seen += m.cols();
            for (int t = 0; t < nt; t++) {
              for (int j = 0; j < m.cols(); j++) {
                got.set(t, from + j, m.get(t, j));
              }
            }
          }
          assertEquals(n, seen, tag + "columns");
          double err = got.maxAbsDiff(expected) / maxAbs(expected);
          assertTrue(err <= 1e-9, tag + target + ": max|dI|/max|I| = " + err);
        }
        assertTrue(tiled.predict(kc).maxAbsDiff(ref.predict(kc)) <= 1e-9 * maxAbs(ref.predict(kc)), tag + "f(X*)");
      } finally {
        tiled.release();
      }
    }
  }

  @Test
  void ridgeSolvesEqualTheDriversAlpha() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    for (int[] cs : new int[][] {{203, 50, 3}, {9, 2, 1}, {64, 64, 2}}) {
      int n = cs[0];
      Matrix k = kernel(n, Math.max(2, n * 3 / 4), n);
      Matrix y = targets(n, cs[2], n + 7);
      BlockGrid grid = new BlockGrid(n, cs[1]);
      Matrix expected = Influence.of(k, y, 1e-2).alpha();
      Matrix alpha = TiledInfluence.ridge(jsc, TiledCholesky.lowerStrips(upper(jsc, k, grid), grid), grid, y, 1e-2);
      assertTrue(alpha.maxAbsDiff(expected) <= 1e-9 * maxAbs(expected), "n=" + n + ": " + alpha.maxAbsDiff(expected));
    }
  }

  @Test
  void alignmentEqualsTheDenseOne() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    int n = 103;
    Matrix k = kernel(n, 60, 11);
    Matrix y = targets(n, 3, 12);
    BlockGrid grid = new BlockGrid(n, 25);
    double expected = org.ntkstudy.math.TrainingRun.alignment(k, y);
    assertEquals(expected, TiledInfluence.alignment(jsc, TiledCholesky.lowerStrips(upper(jsc, k, grid), grid), grid,
        y), 1e-13);
    assertEquals(expected, TiledInfluence.alignmentOfBlocks(jsc, upper(jsc, k, grid), grid, y), 1e-13);
  }

  @Test
  void aMatrixThatIsNotPositiveDefiniteIsNamed() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    int n = 60;
    Matrix k = kernel(n, 60, 5);
    k.set(45, 45, -1e6); // the 46th leading minor is negative: in the second tile of 30
    BlockGrid grid = new BlockGrid(n, 30);
    Exception e = assertThrows(Exception.class,
        () -> TiledCholesky.factor(jsc, TiledCholesky.lowerStrips(upper(jsc, k, grid), grid), grid, 0.0, null));
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertTrue(root instanceof ArithmeticException, root.toString());
    assertTrue(root.getMessage().contains("not positive definite (leading minor 46)"), root.getMessage());
  }

  @Test
  void stripsHoldEveryUpperBlockExactlyOnce() {
    JavaSparkContext jsc = SparkTestSession.jsc();
    Matrix k = kernel(10, 10, 1);
    BlockGrid grid = new BlockGrid(10, 4);
    List<MatrixBlock> blocks = new ArrayList<>(upper(jsc, k, grid).collect());
    blocks.remove(2);
    Exception e = assertThrows(Exception.class,
        () -> TiledCholesky.lowerStrips(jsc.parallelize(blocks, 2), grid).collect());
    assertTrue(String.valueOf(rootMessage(e)).startsWith("missing block"), rootMessage(e));
    assertArrayEquals(new int[] {0, 1, 2},
        TiledCholesky.lowerStrips(upper(jsc, k, grid), grid).map(TiledCholesky.Strip::index).collect().stream()
            .sorted().mapToInt(Integer::intValue).toArray());
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
