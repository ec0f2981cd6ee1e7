package org.ntkstudy.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.NtkKernels;

/**
 * The NTK kernels of SCIENCE §2 as block kernels. The empirical Θ_m uses activation patterns
 * D = 1[X Wᵀ > 0] computed once per row block on the executors, shipped as one byte per entry
 * (an eighth of doubles), and widened to doubles only inside the block-pair task that needs them.
 */
public final class NtkBlockKernels {
  private NtkBlockKernels() {}

  /** H∞ with the exact-diagonal rule. */
  public static BlockKernel analytic() {
    return BlockKernel.ofRows(NtkKernels::analyticNtk);
  }

  /** H∞ plus the NNGP term of the both-layers-trained variant at initial scale σ0. */
  public static BlockKernel bothLayers(double sigma0) {
    return BlockKernel.ofRows(
        (a, b, diagonal) -> {
          Matrix h = NtkKernels.analyticNtk(a, b, diagonal);
          Matrix g = NtkKernels.nngp(a, b, diagonal, sigma0);
          double[] x = h.data();
          double[] y = g.data();
          for (int k = 0; k < x.length; k++) {
            x[k] += y[k];
          }
          return h;
        });
  }

  /**
   * The activation patterns of every row block of {@code rows} for weights W (m×d), as b×m bytes
   * (0 or 1) per block, computed on the executors.
   */
  public static byte[][] patterns(BlockedRows rows, Broadcast<Matrix> w) {
    List<byte[]> parts = rows.mapBlocks(b -> toBytes(NtkKernels.activationPattern(b.rows(), w.value())));
    return parts.toArray(new byte[0][]);
  }

  /**
   * Θ_m blocks from precomputed patterns: rows' patterns for block I, columns' for block J (the
   * same broadcast for a symmetric kernel).
   */
  public static BlockKernel empirical(Broadcast<byte[][]> rowPatterns, Broadcast<byte[][]> colPatterns, int width) {
    return (i, j, diagonal) -> {
      Matrix di = toMatrix(rowPatterns.value()[i.index()], i.rows().rows(), width);
      Matrix dj = diagonal ? di : toMatrix(colPatterns.value()[j.index()], j.rows().rows(), width);
      return NtkKernels.empiricalNtk(i.rows(), di, j.rows(), dj, diagonal);
    };
  }

  /** Broadcasts W and the patterns of one row set. */
  public static Broadcast<byte[][]> broadcastPatterns(JavaSparkContext jsc, BlockedRows rows, Broadcast<Matrix> w) {
    return jsc.broadcast(patterns(rows, w));
  }

  static byte[] toBytes(Matrix pattern) {
    double[] a = pattern.data();
    byte[] out = new byte[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = a[k] > 0 ? (byte) 1 : (byte) 0;
    }
    return out;
  }

  static Matrix toMatrix(byte[] bytes, int rows, int cols) {
    double[] a = new double[rows * cols];
    for (int k = 0; k < a.length; k++) {
      a[k] = bytes[k];
    }
    return new Matrix(rows, cols, a);
  }
}
