package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.testing.SparkTestSession;
import scala.reflect.ClassTag$;

/** Matrices and blocks round-trip through the Kryo the project configures, registration required. */
class SparkKryoClassesTest {
  @Test
  void projectClassesSerializeWithRegistrationRequired() {
    SerializerInstance ser = new KryoSerializer(SparkTestSession.get().sparkContext().getConf()).newInstance();
    Matrix m = new Matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6});
    MatrixBlock b = new MatrixBlock(3, 4, m);
    ByteBuffer bytes = ser.serialize(b, ClassTag$.MODULE$.apply(MatrixBlock.class));
    MatrixBlock back = ser.deserialize(bytes, ClassTag$.MODULE$.apply(MatrixBlock.class));
    assertEquals(3, back.blockRow());
    assertEquals(4, back.blockCol());
    assertArrayEquals(m.data(), back.values().data(), 0.0);
    RowBlock r = new RowBlock(1, 7, m);
    RowBlock rb = ser.deserialize(ser.serialize(r, ClassTag$.MODULE$.apply(RowBlock.class)),
        ClassTag$.MODULE$.apply(RowBlock.class));
    assertEquals(7, rb.row0());
    assertEquals(3, rb.rows().cols());
  }

  /** Matrices larger than one bulk chunk, with every special value, round-trip bit for bit. */
  @Test
  void largeMatricesRoundTripExactly() {
    SerializerInstance ser = new KryoSerializer(SparkTestSession.get().sparkContext().getConf()).newInstance();
    for (int[] shape : new int[][] {{0, 5}, {1, 1}, {300, 301}, {700, 200}}) {
      Matrix m = new Matrix(shape[0], shape[1]);
      java.util.Random r = new java.util.Random(shape[0]);
      for (int k = 0; k < m.data().length; k++) {
        m.data()[k] = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      }
      if (m.data().length > 4) {
        m.data()[0] = -0.0;
        m.data()[1] = Double.MIN_VALUE;
        m.data()[2] = Double.NaN;
        m.data()[3] = Double.NEGATIVE_INFINITY;
      }
      Matrix back = ser.deserialize(ser.serialize(m, ClassTag$.MODULE$.apply(Matrix.class)),
          ClassTag$.MODULE$.apply(Matrix.class));
      assertEquals(m.rows(), back.rows());
      assertEquals(m.cols(), back.cols());
      for (int k = 0; k < m.data().length; k++) {
        assertEquals(Double.doubleToRawLongBits(m.data()[k]), Double.doubleToRawLongBits(back.data()[k]), "entry " + k);
      }
    }
  }
}
