package org.ntkstudy.spark;

import java.io.Serializable;
import org.ntkstudy.math.Matrix;

/** Block (i, j) of a blocked matrix: rows of block i against rows of block j of its grid. */
public final class MatrixBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int blockRow;
  private final int blockCol;
  private final Matrix values;

  public MatrixBlock(int blockRow, int blockCol, Matrix values) {
    this.blockRow = blockRow;
    this.blockCol = blockCol;
    this.values = values;
  }

  public int blockRow() {
    return blockRow;
  }

  public int blockCol() {
    return blockCol;
  }

  public Matrix values() {
    return values;
  }
}
