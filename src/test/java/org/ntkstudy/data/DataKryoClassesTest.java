package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Matrix;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** StudyData (with its record DatasetSpec) survives Kryo with registration required. */
class DataKryoClassesTest {

  /** Registers what a StudyData holds: the data classes plus the arrays and Matrix they carry. */
  public static final class Registrator implements KryoRegistrator {
    @Override
    public void registerClasses(com.esotericsoftware.kryo.Kryo kryo) {
      DataKryoClasses.register(kryo);
      kryo.register(int[].class);
      kryo.register(double[].class);
      kryo.register(Matrix.class);
    }
  }

  @Test
  void studyDataRoundTripsThroughKryo() {
    SparkConf conf =
        new SparkConf()
            .set("spark.kryo.registrationRequired", "true")
            .set("spark.kryo.registrator", Registrator.class.getName());
    SerializerInstance kryo = new KryoSerializer(conf).newInstance();
    DatasetSpec spec = DatasetSpec.of("mnist", "/x", 1).withClasses("3,8").withSeed(-5);
    ImageSet set =
        new DoubleImageSet("s", "s", "row", 2, new double[] {0.6, 0.8, 1, 0}, new int[] {8, 3});
    Split split = DatasetLoader.split(set, new int[] {0, 1}, new int[] {3, 8}, Task.BINARY);
    StudyData data = new StudyData(spec, Task.BINARY, new int[] {3, 8}, split, split, 2);
    ClassTag<Object> tag = ClassTag$.MODULE$.apply(Object.class);
    StudyData back = (StudyData) kryo.deserialize(kryo.serialize(data, tag), tag);
    assertEquals(spec, back.spec());
    assertEquals(Task.BINARY, back.task());
    assertArrayEquals(split.inputs().data(), back.train().inputs().data(), 0.0);
    assertArrayEquals(new double[] {-1, 1}, back.test().targets().data(), 0.0);
  }
}
