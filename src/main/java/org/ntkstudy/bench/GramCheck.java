package org.ntkstudy.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.MatrixBlock;

/** What the Gram suite checks of a contender's result: its element count and max |G − XXᵀ|. */
final class GramCheck {
  private GramCheck() {}

  /** Fails when a timed run produced another number of elements than the whole result has. */
  static void requireElements(long got, long expected, String what) {
    if (got != expected) {
      throw new IllegalStateException(what + " produced " + got + " elements, expected " + expected);
    }
  }

  /**
   * max |G_IJ − (XXᵀ)_IJ| over upper-triangle blocks, each expected exactly once. The reference
   * is one block row of XXᵀ at a time, X_I·Xᵀ against all of X, so it never shares the blocking
   * of the result it checks; a missing or repeated block is an error, not a small number.
   */
  static double maxAbsError(List<MatrixBlock> blocks, BlockGrid grid, Matrix x) {
    int nb = grid.numBlocks();
    List<List<MatrixBlock>> byRow = new ArrayList<>();
    for (int i = 0; i < nb; i++) {
      byRow.add(new ArrayList<>());
    }
    for (MatrixBlock b : blocks) {
      if (b.blockRow() < 0 || b.blockRow() >= nb || b.blockCol() < b.blockRow() || b.blockCol() >= nb) {
        throw new IllegalStateException(
            "block (" + b.blockRow() + ", " + b.blockCol() + ") is not an upper-triangle block");
      }
      byRow.get(b.blockRow()).add(b);
    }
    double worst = 0;
    for (int i = 0; i < nb; i++) {
      List<MatrixBlock> row = byRow.get(i);
      row.sort(Comparator.comparingInt(MatrixBlock::blockCol));
      if (row.size() != nb - i) {
        throw new IllegalStateException("block row " + i + " has " + row.size() + " blocks, expected " + (nb - i));
      }
      int r0 = grid.blockStart(i);
      Matrix ref = Blas.multiplyTransposed(x.rowRange(r0, r0 + grid.blockRows(i)), x);
      for (int k = 0; k < row.size(); k++) {
        MatrixBlock b = row.get(k);
        if (b.blockCol() != i + k) {
          throw new IllegalStateException("block (" + i + ", " + (i + k) + ") is missing or repeated");
        }
        Matrix v = b.values();
        int c0 = grid.blockStart(b.blockCol());
        if (v.rows() != grid.blockRows(i) || v.cols() != grid.blockRows(b.blockCol())) {
          throw new IllegalStateException("block (" + i + ", " + b.blockCol() + ") has shape " + v);
        }
        for (int r = 0; r < v.rows(); r++) {
          for (int c = 0; c < v.cols(); c++) {
            worst = Math.max(worst, Math.abs(v.get(r, c) - ref.get(r, c0 + c)));
          }
        }
      }
    }
    return worst;
  }

  /** max |a_k − b_k| ÷ max |a_k|, both descending (our eigenvalues against NumPy's). */
  static double maxRelDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("NumPy returned " + b.length + " eigenvalues, ours " + a.length);
    }
    double scale = 0;
    double worst = 0;
    for (int k = 0; k < a.length; k++) {
      scale = Math.max(scale, Math.abs(a[k]));
      worst = Math.max(worst, Math.abs(a[k] - b[k]));
    }
    return scale == 0 ? worst : worst / scale;
  }
}
