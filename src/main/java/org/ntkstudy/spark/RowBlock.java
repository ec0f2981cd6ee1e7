package org.ntkstudy.spark;

import java.io.Serializable;
import org.ntkstudy.math.Matrix;

/** Rows [row0, row0 + rows) of a row matrix (a dataset's inputs), as block {@code index}. */
public final class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final int row0;
  private final Matrix rows;

  public RowBlock(int index, int row0, Matrix rows) {
    this.index = index;
    this.row0 = row0;
    this.rows = rows;
  }

  public int index() {
    return index;
  }

  public int row0() {
    return row0;
  }

  public Matrix rows() {
    return rows;
  }
}
