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

class KryoRegistrationTest {
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
}
