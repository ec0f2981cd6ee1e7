package org.ntkstudy.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;

/**
 * Blocked matrices on disk as Parquet, one row per block: {@code block_row, block_col, rows, cols,
 * values}, the values as one binary cell of row-major little-endian float64 (the bytes of a .npy
 * body: an array&lt;double&gt; column encodes every element with its own levels and wrote 3× slower). Each executor writes the blocks it computed; nothing passes through
 * the driver. Also assembles a dense matrix from upper-triangle blocks when it fits a driver
 * budget, and refuses with a clear message when it does not.
 */
public final class BlockStore {
  /** The Parquet schema of a stored block. */
  public static final StructType SCHEMA =
      new StructType()
          .add("block_row", DataTypes.IntegerType, false)
          .add("block_col", DataTypes.IntegerType, false)
          .add("rows", DataTypes.IntegerType, false)
          .add("cols", DataTypes.IntegerType, false)
          .add("values", DataTypes.BinaryType, false);

  private BlockStore() {}

  /** Writes {@code blocks} to Parquet at {@code uri} (computing them, on the executors). */
  public static void write(SparkSession spark, JavaRDD<MatrixBlock> blocks, String uri) {
    JavaRDD<Row> rows =
        blocks.map(
            b ->
                RowFactory.create(
                    b.blockRow(),
                    b.blockCol(),
                    b.values().rows(),
                    b.values().cols(),
                    toBytes(b.values().data())));
    // Uncompressed, no dictionary: float64 kernel values barely compress, and Parquet's snappy
    // reader re-copies its whole input buffer for every chunk of a page (quadratic in the page
    // size), which made reading back the 8 MiB pages of the 60,000² H∞ take minutes per pass.
    spark.createDataFrame(rows, SCHEMA).write()
        .option("compression", "none")
        .option("parquet.enable.dictionary", "false")
        .parquet(uri);
  }

  /** Reads blocks written by {@link #write} (lazily, on the executors). */
  public static JavaRDD<MatrixBlock> read(SparkSession spark, String uri) {
    Dataset<Row> df = spark.read().schema(SCHEMA).parquet(uri);
    return df.javaRDD().map(BlockStore::fromRow);
  }

  static MatrixBlock fromRow(Row r) {
    int rows = r.getInt(2);
    int cols = r.getInt(3);
    byte[] bytes = (byte[]) r.get(4);
    if (bytes.length != 8L * rows * cols) {
      throw new IllegalStateException("block (" + r.getInt(0) + ", " + r.getInt(1) + ") holds "
          + bytes.length + " bytes, expected " + 8L * rows * cols + " for " + rows + "x" + cols);
    }
    double[] data = new double[rows * cols];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
    return new MatrixBlock(r.getInt(0), r.getInt(1), new Matrix(rows, cols, data));
  }

  static byte[] toBytes(double[] data) {
    ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(data);
    return buf.array();
  }

  /**
   * Collects upper-triangle blocks to the driver and assembles the full symmetric n×n matrix
   * (lower triangle mirrored).
   *
   * @param maxBytes the driver budget for a dense matrix (`--max-driver-mb`)
   * @throws UserInputException when the dense matrix would exceed it
   */
  public static Matrix collectSymmetric(JavaRDD<MatrixBlock> blocks, BlockGrid grid, long maxBytes) {
    requireFits(grid, maxBytes);
    return assembleSymmetric(blocks.collect(), grid);
  }

  /** Refuses to build a dense n×n matrix on the driver above {@code maxBytes}. */
  public static void requireFits(BlockGrid grid, long maxBytes) {
    if (grid.denseBytes() > maxBytes) {
      throw new UserInputException(
          String.format(
              "a dense %dx%d matrix (%.1f MiB) exceeds the driver budget of %.1f MiB;"
                  + " raise --max-driver-mb (and the driver memory) or use a smaller --n",
              grid.n(), grid.n(), grid.denseBytes() / 1048576.0, maxBytes / 1048576.0));
    }
  }

  /**
   * The dense rows×cols matrix from every block of a rectangular grid pair (e.g. test × train),
   * each block placed exactly once.
   */
  public static Matrix assembleRectangular(List<MatrixBlock> blocks, BlockGrid rows, BlockGrid cols) {
    Matrix full = new Matrix(rows.n(), cols.n());
    double[] a = full.data();
    int nc = cols.numBlocks();
    boolean[] seen = new boolean[rows.numBlocks() * nc];
    for (MatrixBlock b : blocks) {
      int k = b.blockRow() * nc + b.blockCol();
      if (seen[k]) {
        throw new IllegalStateException("block (" + b.blockRow() + ", " + b.blockCol() + ") twice");
      }
      seen[k] = true;
      Matrix v = b.values();
      int r0 = rows.blockStart(b.blockRow());
      int c0 = cols.blockStart(b.blockCol());
      for (int r = 0; r < v.rows(); r++) {
        System.arraycopy(v.data(), r * v.cols(), a, (r0 + r) * cols.n() + c0, v.cols());
      }
    }
    for (int k = 0; k < seen.length; k++) {
      if (!seen[k]) {
        throw new IllegalStateException("missing block " + k + " of " + seen.length);
      }
    }
    return full;
  }

  /** The full symmetric matrix from its upper-triangle blocks, each block placed exactly once. */
  public static Matrix assembleSymmetric(List<MatrixBlock> blocks, BlockGrid grid) {
    int n = grid.n();
    Matrix full = new Matrix(n, n);
    double[] a = full.data();
    boolean[] seen = new boolean[(int) grid.numPairs()];
    int nb = grid.numBlocks();
    for (MatrixBlock b : blocks) {
      int bi = b.blockRow();
      int bj = b.blockCol();
      int pairIndex = bi * nb - bi * (bi - 1) / 2 + (bj - bi);
      if (bj < bi || seen[pairIndex]) {
        throw new IllegalStateException("block (" + bi + ", " + bj + ") is not a new upper-triangle block");
      }
      seen[pairIndex] = true;
      int r0 = grid.blockStart(bi);
      int c0 = grid.blockStart(bj);
      Matrix v = b.values();
      if (v.rows() != grid.blockRows(bi) || v.cols() != grid.blockRows(bj)) {
        throw new IllegalStateException("block (" + bi + ", " + bj + ") has shape " + v);
      }
      double[] d = v.data();
      for (int r = 0; r < v.rows(); r++) {
        System.arraycopy(d, r * v.cols(), a, (r0 + r) * n + c0, v.cols());
        if (bi != bj) {
          for (int c = 0; c < v.cols(); c++) {
            a[(c0 + c) * n + r0 + r] = d[r * v.cols() + c];
          }
        }
      }
    }
    for (int k = 0; k < seen.length; k++) {
      if (!seen[k]) {
        throw new IllegalStateException("missing block pair " + k + " of " + seen.length);
      }
    }
    return full;
  }
}
