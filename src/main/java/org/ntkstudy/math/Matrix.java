package org.ntkstudy.math;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A dense row-major matrix of doubles: the one matrix type of the project. Row-major because
 * datasets are rows of pixels; BLAS calls in {@link Blas} map it to column-major by transposing.
 */
public final class Matrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int cols;
  private final double[] data;

  /** Wraps {@code data} (row-major, length rows*cols) without copying. */
  public Matrix(int rows, int cols, double[] data) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
    }
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "data length " + data.length + " does not match shape " + rows + "x" + cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** A zero matrix. */
  public Matrix(int rows, int cols) {
    this(rows, cols, new double[checkedSize(rows, cols)]);
  }

  private static int checkedSize(int rows, int cols) {
    long size = (long) rows * cols;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a " + rows + "x" + cols + " matrix does not fit one Java array; keep it blocked");
    }
    return (int) size;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing row-major array (not a copy). */
  public double[] data() {
    return data;
  }

  public double get(int i, int j) {
    return data[i * cols + j];
  }

  public void set(int i, int j, double v) {
    data[i * cols + j] = v;
  }

  /** Rows [from, to) as a new matrix (copied). */
  public Matrix rowRange(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
    }
    return new Matrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
  }

  /** The rows at {@code index}, in that order (copied). */
  public Matrix selectRows(int[] index) {
    double[] out = new double[checkedSize(index.length, cols)];
    for (int k = 0; k < index.length; k++) {
      System.arraycopy(data, index[k] * cols, out, k * cols, cols);
    }
    return new Matrix(index.length, cols, out);
  }

  public Matrix transpose() {
    double[] out = new double[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[j * rows + i] = data[i * cols + j];
      }
    }
    return new Matrix(cols, rows, out);
  }

  public Matrix copy() {
    return new Matrix(rows, cols, data.clone());
  }

  /** Largest |a_ij - b_ij|; shapes must match. */
  public double maxAbsDiff(Matrix other) {
    if (other.rows != rows || other.cols != cols) {
      throw new IllegalArgumentException(
          "shape " + rows + "x" + cols + " vs " + other.rows + "x" + other.cols);
    }
    double m = 0;
    for (int k = 0; k < data.length; k++) {
      m = Math.max(m, Math.abs(data[k] - other.data[k]));
    }
    return m;
  }

  @Override
  public String toString() {
    return "Matrix[" + rows + "x" + cols + "]";
  }
}
