package org.ntkstudy.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel ridge past the driver budget, from a model's inputs (SCIENCE §5): K — Θ of a first layer
 * W, or H∞ — in row strips of {@code tile}-row tiles on the executors, K + λI factorised there
 * ({@link TiledInfluence}, {@link TiledCholesky}), K* = K(X*, X) on the driver.
 *
 * @param influence the tiled influence, or null when only α was asked for ({@link #ridge})
 * @param kCross the test kernel K* (n*×n, driver)
 * @param alignment K's kernel–target alignment, NaN unless asked for
 * @param alpha α = (K + λI)^{-1} Y
 */
public record TiledKernelInfluence(TiledInfluence influence, Matrix kCross, double alignment, Matrix alpha) {
  private static final Logger LOG = LoggerFactory.getLogger(TiledKernelInfluence.class);

  /**
   * K of first layer {@code w} (H∞ when null) on {@code x}, factorised and inverted across the
   * executors ({@link TiledInfluence#of}); with {@code alignment} also K's kernel–target alignment.
   */
  public static TiledKernelInfluence of(JavaSparkContext jsc, Matrix x, Matrix xt, Matrix y, Matrix w,
      double lambda, int tile, String tag, boolean alignment) {
    return compute(jsc, x, xt, y, w, lambda, tile, tag, alignment, true);
  }

  /**
   * Kernel ridge with H∞ on {@code x}: α alone (tiled Cholesky and two triangular solves, no
   * inverse), with K* and H∞'s kernel–target alignment.
   */
  public static TiledKernelInfluence ridge(JavaSparkContext jsc, Matrix x, Matrix xt, Matrix y, double lambda,
      int tile, String tag) {
    return compute(jsc, x, xt, y, null, lambda, tile, tag, true, false);
  }

  private static TiledKernelInfluence compute(JavaSparkContext jsc, Matrix x, Matrix xt, Matrix y, Matrix w,
      double lambda, int tile, String tag, boolean alignment, boolean influence) {
    BlockedRows train = BlockedRows.broadcast(jsc, x, tile);
    BlockedRows test = BlockedRows.broadcast(jsc, xt, Math.min(tile, xt.rows()));
    Broadcast<Matrix> wb = w == null ? null : jsc.broadcast(w);
    try {
      BlockKernel kernel = w == null ? NtkBlockKernels.analytic() : NtkBlockKernels.empirical(wb);
      String name = w == null ? "H_inf" : "Theta";
      BlockGrid grid = train.grid();
      int strips = grid.numBlocks();
      JavaRDD<TiledCholesky.Strip> k = Stages.run(jsc, "influence/kernel", name + " (" + tag + ") train x train in "
          + strips + " row strips of " + tile + "-row tiles", () -> {
            JavaRDD<TiledCholesky.Strip> st = TiledCholesky.lowerStrips(train.symmetricBlocks(kernel, 0), grid)
                .persist(StorageLevel.MEMORY_AND_DISK());
            st.count();
            return st;
          });
      try {
        double align = alignment ? TiledInfluence.alignment(jsc, k, grid, y) : Double.NaN;
        Matrix kc = Stages.run(jsc, "influence/kernel-test", name + " (" + tag + ") test x train",
            () -> BlockStore.assembleRectangular(test.crossBlocks(train, kernel, 0).collect(), test.grid(), grid));
        int every = Math.max(1, strips / 10);
        TiledCholesky.Progress progress = (alg, done, of) -> {
          if (done % every == 0 || done == of) {
            LOG.info("tiled {} ({}): {} of {} strips", alg, tag, done, of);
          }
        };
        try {
          if (!influence) {
            Matrix alpha = Stages.run(jsc, "influence/ridge", "tiled Cholesky of K + lambda I and two triangular"
                + " solves (" + tag + ", n = " + x.rows() + ", " + strips + " strips) across the executors",
                () -> TiledInfluence.ridge(jsc, k, grid, y, lambda));
            return new TiledKernelInfluence(null, kc, align, alpha);
          }
          TiledInfluence inf = Stages.run(jsc, "influence/factor", "tiled Cholesky + inverse of K + lambda I ("
              + tag + ", n = " + x.rows() + ", " + strips + " strips) across the executors",
              () -> TiledInfluence.of(jsc, k, grid, y, kc, lambda, progress));
          return new TiledKernelInfluence(inf, kc, align, inf.alpha());
        } catch (ArithmeticException e) {
          throw new UserInputException(tag + ": " + e.getMessage(), e);
        }
      } finally {
        k.unpersist(false);
      }
    } finally {
      train.release();
      test.release();
      if (wb != null) {
        wb.unpersist(false);
      }
    }
  }

  /** The kernel–target alignment of Θ (first layer {@code w}) on {@code x}, computed in {@code tile}-row tiles. */
  public static double alignment(JavaSparkContext jsc, Matrix x, Matrix w, Matrix y, int tile) {
    BlockedRows train = BlockedRows.broadcast(jsc, x, tile);
    Broadcast<Matrix> wb = jsc.broadcast(w);
    try {
      return TiledInfluence.alignmentOfBlocks(jsc, train.symmetricBlocks(NtkBlockKernels.empirical(wb), 0),
          train.grid(), y);
    } finally {
      train.release();
      wb.unpersist(false);
    }
  }
}
