package org.ntkstudy.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.serializer.KryoRegistrator;
import org.ntkstudy.math.Matrix;

/**
 * Registers every class the project ships between JVMs with Kryo (tests run with
 * {@code spark.kryo.registrationRequired=true}, so a missing registration fails a test). Matrices
 * get a compact serializer: shape plus the raw doubles.
 */
public final class KryoRegistration implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(int[].class);
    kryo.register(byte[].class);
    kryo.register(byte[][].class);
    kryo.register(long[].class);
    kryo.register(long[][].class);
    kryo.register(Object[].class);
    kryo.register(java.util.ArrayList.class);
    kryo.register(scala.Tuple2.class);
    kryo.register(scala.Tuple2[].class);
    // The tiled Cholesky's strips and the tiles its transpose shuffles.
    kryo.register(TiledCholesky.Strip.class);
    kryo.register(TiledCholesky.Piece.class);
    // Spark SQL ships table schemas inside tasks when reading the Parquet we write.
    kryo.register(org.apache.spark.sql.types.StructType.class);
    kryo.register(org.apache.spark.sql.types.StructField.class);
    kryo.register(org.apache.spark.sql.types.StructField[].class);
    kryo.register(org.apache.spark.sql.types.Metadata.class);
    kryo.register(org.apache.spark.sql.types.ArrayType.class);
    kryo.register(org.apache.spark.sql.types.BinaryType$.class);
    kryo.register(org.apache.spark.sql.types.IntegerType$.class);
    kryo.register(org.apache.spark.sql.types.LongType$.class);
    kryo.register(org.apache.spark.sql.types.DoubleType$.class);
    kryo.register(org.apache.spark.sql.types.StringType$.class);
    kryo.register(org.apache.spark.sql.types.BooleanType$.class);
    // MLlib BlockMatrix.multiply sums its block products as Breeze matrices in a shuffle (bench).
    kryo.register(breeze.linalg.DenseMatrix$mcD$sp.class);
    // The data layer's classes (DatasetSpec is a record: Java serialization) and what table reads ship.
    org.ntkstudy.data.DataKryoClasses.register(kryo);
    // The width sweep's broadcast setup and cell results (records go through Java serialization:
    // Kryo 4 cannot construct them).
    kryo.register(org.ntkstudy.math.Model.class);
    kryo.register(org.ntkstudy.math.SweepMetrics.Reference.class);
    kryo.register(org.ntkstudy.math.SweepMetrics.Cell.class,
        new com.esotericsoftware.kryo.serializers.JavaSerializer());
    kryo.register(org.ntkstudy.jobs.WidthSweepJob.CellResult.class);
    kryo.register(org.ntkstudy.jobs.WidthSweepJob.ModelSetup.class);
    kryo.register(org.ntkstudy.jobs.WidthSweepJob.Cell.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
    // The train job's broadcast setup, Hadoop configuration and cell results.
    kryo.register(org.ntkstudy.jobs.TrainJob.ModelSetup.class);
    kryo.register(org.ntkstudy.jobs.TrainJob.Cell.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
    kryo.register(org.ntkstudy.jobs.TrainJob.CellResult.class,
        new com.esotericsoftware.kryo.serializers.JavaSerializer());
    kryo.register(org.apache.spark.util.SerializableConfiguration.class,
        new com.esotericsoftware.kryo.serializers.JavaSerializer());
    // The influence job's setups, networks, target specs and LOO engines.
    org.ntkstudy.jobs.JobsKryoClasses.register(kryo);
    kryo.register(Matrix.class, new MatrixSerializer());
    kryo.register(Matrix[].class);
    kryo.register(RowBlock.class, new RowBlockSerializer());
    kryo.register(RowBlock[].class);
    kryo.register(MatrixBlock.class, new MatrixBlockSerializer());
    kryo.register(MatrixBlock[].class);
  }

  /** Shape, then the row-major doubles (little-endian, bulk-copied). */
  static final class MatrixSerializer extends Serializer<Matrix> {
    @Override
    public void write(Kryo kryo, Output output, Matrix m) {
      output.writeInt(m.rows());
      output.writeInt(m.cols());
      writeDoubles(output, m.data());
    }

    @Override
    public Matrix read(Kryo kryo, Input input, Class<Matrix> type) {
      int rows = input.readInt();
      int cols = input.readInt();
      return new Matrix(rows, cols, readDoubles(input, Math.multiplyExact(rows, cols)));
    }
  }

  /** Doubles per bulk copy (512 KiB). */
  private static final int CHUNK = 1 << 16;

  /**
   * Writes the doubles little-endian through a bulk byte-buffer copy: Kryo's own
   * {@code writeDoubles} goes a byte at a time (about 0.3 GB/s), which made broadcasting a
   * 4000×4000 matrix cost more than the GEMM it feeds.
   */
  static void writeDoubles(Output output, double[] a) {
    int chunk = Math.min(a.length, CHUNK);
    byte[] buf = new byte[chunk * 8];
    java.nio.DoubleBuffer db = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    for (int off = 0; off < a.length; off += chunk) {
      int len = Math.min(chunk, a.length - off);
      db.clear();
      db.put(a, off, len);
      output.writeBytes(buf, 0, len * 8);
    }
  }

  static double[] readDoubles(Input input, int n) {
    double[] a = new double[n];
    int chunk = Math.min(n, CHUNK);
    byte[] buf = new byte[chunk * 8];
    java.nio.DoubleBuffer db = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    for (int off = 0; off < n; off += chunk) {
      int len = Math.min(chunk, n - off);
      input.readBytes(buf, 0, len * 8);
      db.clear();
      db.get(a, off, len);
    }
    return a;
  }

  static final class RowBlockSerializer extends Serializer<RowBlock> {
    private final MatrixSerializer matrices = new MatrixSerializer();

    @Override
    public void write(Kryo kryo, Output output, RowBlock b) {
      output.writeInt(b.index());
      output.writeInt(b.row0());
      matrices.write(kryo, output, b.rows());
    }

    @Override
    public RowBlock read(Kryo kryo, Input input, Class<RowBlock> type) {
      int index = input.readInt();
      int row0 = input.readInt();
      return new RowBlock(index, row0, matrices.read(kryo, input, Matrix.class));
    }
  }

  static final class MatrixBlockSerializer extends Serializer<MatrixBlock> {
    private final MatrixSerializer matrices = new MatrixSerializer();

    @Override
    public void write(Kryo kryo, Output output, MatrixBlock b) {
      output.writeInt(b.blockRow());
      output.writeInt(b.blockCol());
      matrices.write(kryo, output, b.values());
    }

    @Override
    public MatrixBlock read(Kryo kryo, Input input, Class<MatrixBlock> type) {
      int i = input.readInt();
      int j = input.readInt();
      return new MatrixBlock(i, j, matrices.read(kryo, input, Matrix.class));
    }
  }
}
