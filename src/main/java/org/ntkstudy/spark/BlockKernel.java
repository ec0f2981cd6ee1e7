package org.ntkstudy.spark;

import java.io.Serializable;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;

/**
 * A kernel evaluated on a pair of row blocks, K(X_I, X_J) (b_I × b_J): the unit of work of every
 * blocked matrix. The blocks carry their index, so a kernel can look up what it prepared per row
 * block (an activation pattern, say); the maths lives in org.ntkstudy.math, without Spark, so a
 * blocked result can be checked against the same kernel on the whole matrix.
 */
@FunctionalInterface
public interface BlockKernel extends Serializable {
  /**
   * K(rowsI, rowsJ). When {@code diagonal} is true, I and J are the same block and the result
   * must be exactly symmetric.
   */
  Matrix block(RowBlock i, RowBlock j, boolean diagonal);

  /** A kernel that needs only the rows of the two blocks. */
  @FunctionalInterface
  interface OfRows extends Serializable {
    Matrix apply(Matrix rowsI, Matrix rowsJ, boolean diagonal);
  }

  /** Adapts a kernel of rows alone. */
  static BlockKernel ofRows(OfRows kernel) {
    return (i, j, diagonal) -> kernel.apply(i.rows(), j.rows(), diagonal);
  }

  /** The linear kernel x·x': blocks of the Gram matrix G = XXᵀ (SCIENCE §1), one DGEMM each. */
  static BlockKernel linear() {
    return ofRows(
        (a, b, diagonal) -> {
          Matrix g = Blas.multiplyTransposed(a, b);
          if (diagonal) {
            Blas.symmetrize(g);
          }
          return g;
        });
  }
}
