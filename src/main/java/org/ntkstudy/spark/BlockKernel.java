package org.ntkstudy.spark;

import java.io.Serializable;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;

/**
 * A kernel evaluated on a pair of row blocks, K(X_I, X_J) (b_I × b_J): the unit of work of every
 * blocked matrix. Implementations are pure functions of their inputs (no Spark inside), so a
 * blocked result can be checked against the same kernel on the whole matrix.
 */
@FunctionalInterface
public interface BlockKernel extends Serializable {
  /**
   * K(rowsI, rowsJ). When {@code diagonal} is true, rowsI and rowsJ are the same block and the
   * result must be exactly symmetric.
   */
  Matrix block(Matrix rowsI, Matrix rowsJ, boolean diagonal);

  /** The linear kernel x·x': blocks of the Gram matrix G = XXᵀ (SCIENCE §1), one DGEMM each. */
  static BlockKernel linear() {
    return (a, b, diagonal) -> {
      Matrix g = Blas.multiplyTransposed(a, b);
      if (diagonal) {
        Blas.symmetrize(g);
      }
      return g;
    };
  }
}
