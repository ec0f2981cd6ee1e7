package org.ntkstudy.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;

/**
 * The data layer's classes, and the Spark classes that reading a table ships between JVMs, for
 * the project's Kryo registrator: under {@code spark.kryo.registrationRequired} (the test
 * session) Spark otherwise rejects them.
 *
 * <p>{@link DatasetSpec} is a record, and Kryo 4 (Spark 3.5's) cannot build its default field
 * serializer for records on Java 17 ("can't get field offset on a record class"), so it is sent
 * with Java serialization inside Kryo.
 *
 * <p>The Spark classes were found by running {@code TableReaderSparkTest} with registration required: CSV schema
 * inference returns {@code DataType[]} (and may infer any of the atomic types below), an ML
 * Vector column travels as {@code VectorUDT} whose storage struct has a {@code ByteType} field,
 * and {@code Dataset.toLocalIterator} returns each partition as a {@code ChunkedByteBuffer[]}.
 */
public final class DataKryoClasses {
  private static final String[] CLASSES = {
    "[Lorg.apache.spark.sql.types.DataType;",
    "[Lorg.apache.spark.util.io.ChunkedByteBuffer;",
    "org.apache.spark.ml.linalg.VectorUDT",
    "org.apache.spark.sql.types.NullType$",
    "org.apache.spark.sql.types.ByteType$",
    "org.apache.spark.sql.types.ShortType$",
    "org.apache.spark.sql.types.FloatType$",
    "org.apache.spark.sql.types.DecimalType",
    "org.apache.spark.sql.types.DateType$",
    "org.apache.spark.sql.types.TimestampType$",
    "org.apache.spark.sql.types.TimestampNTZType$",
  };

  private DataKryoClasses() {}

  /** Registers the classes with {@code kryo} (call from the project's KryoRegistrator). */
  public static void register(Kryo kryo) {
    kryo.register(DatasetSpec.class, new JavaSerializer());
    kryo.register(Task.class);
    kryo.register(Split.class);
    kryo.register(StudyData.class);
    // Fields of a final class with a private constructor and a shared unit instance: Java serialization.
    kryo.register(org.ntkstudy.math.InputNorm.class, new JavaSerializer());
    kryo.register(org.ntkstudy.math.InputNorm.Kind.class);
    for (String name : CLASSES) {
      try {
        kryo.register(Class.forName(name, false, DataKryoClasses.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // Spark internals renamed in another version: a build problem, not a user's.
        throw new IllegalStateException("Spark class " + name + " not found", e);
      }
    }
  }
}
