package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.testing.SparkTestSession;

/** {@link TableReader} through the shared local SparkSession: CSV and Parquet, file order, splits. */
class TableReaderSparkTest {
  static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    // The shared test session (Kryo registration required); never stopped here.
    spark = SparkTestSession.get();
    SparkConf conf = spark.sparkContext().conf();
    if (conf.getBoolean("spark.kryo.registrationRequired", false)) {
      Kryo kryo = new KryoSerializer(conf).newKryo();
      assertNotNull(
          kryo.getClassResolver().getRegistration(org.apache.spark.ml.linalg.VectorUDT.class),
          "the test session requires Kryo registration but the registrator does not call "
              + "DataKryoClasses.register(kryo): reading tables ships those Spark classes");
    }
  }

  /** label, a, b with label = row % 3, a = row, b = 255 - row (0..255 values). */
  static String csv(int from, int to) {
    StringBuilder sb = new StringBuilder("label,a,b\n");
    for (int r = from; r < to; r++) {
      sb.append(r % 3).append(',').append(r).append(',').append(255 - r).append('\n');
    }
    return sb.toString();
  }

  @Test
  void csvIsSplitEightyTwentyInFileOrder() {
    Path f = DataFixtures.write(tmp.resolve("t.csv"), csv(0, 10));
    TrainTest tt =
        TableReader.read(spark, DataFixtures.CONF, f.toString(), null, null, "label", 255);
    assertEquals(8, tt.train().size());
    assertEquals(2, tt.test().size());
    assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, tt.train().labels());
    assertArrayEquals(new int[] {2, 0}, tt.test().labels());
    double[] p = new double[2];
    tt.test().pixels(1, p, 0); // row 9
    assertArrayEquals(new double[] {9 / 255.0, 246 / 255.0}, p, 0.0);
    assertEquals("t.csv row 9", tt.test().describe(1));
  }

  @Test
  void directoryOfFilesIsReadInFileNameOrder() {
    // part-1 is bigger, so Spark schedules it first; the reader restores name order.
    DataFixtures.write(tmp.resolve("dir/part-0.csv"), csv(0, 2));
    DataFixtures.write(tmp.resolve("dir/part-1.csv"), csv(2, 40));
    TrainTest tt =
        TableReader.read(spark, DataFixtures.CONF, tmp.resolve("dir").toString(), null, "csv", "label", 255);
    double[] p = new double[2];
    tt.train().pixels(0, p, 0);
    assertEquals(0.0, p[0], 0.0);
    tt.train().pixels(2, p, 0);
    assertEquals(2 / 255.0, p[0], 0.0);
    assertEquals(32, tt.train().size());
  }

  @Test
  void parquetWithVectorColumnAndSeparateTestTable() {
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("y", DataTypes.IntegerType, false),
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)));
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      rows.add(RowFactory.create(r % 2, Vectors.dense(r / 10.0, 1.0, 0.5)));
    }
    String train = tmp.resolve("train.parquet").toString();
    String test = tmp.resolve("test.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(train);
    spark.createDataFrame(rows.subList(0, 4), schema).coalesce(1).write().parquet(test);

    DatasetSpec spec =
        DatasetSpec.of("table", train, 4)
            .withTestData(test)
            .withNTest(2)
            .withLabelColumn("y")
            .withSubset("first");
    StudyData data = DatasetLoader.load(spec, DataFixtures.CONF, spark);
    assertEquals(Task.BINARY, data.task());
    assertArrayEquals(new int[] {0, 1}, data.classes());
    assertEquals(3, data.d());
    assertArrayEquals(new int[] {0, 1, 2, 3}, data.train().sourceIndex());
    assertEquals(0.3, data.train().pixels().get(3, 0), 0.0);
    assertArrayEquals(new double[] {1, -1}, data.test().targets().data(), 0.0);
  }

  @Test
  void missingTableIsNamed() {
    String where = tmp.resolve("none.parquet").toString();
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> TableReader.read(spark, DataFixtures.CONF, where, null, null, "label", 1));
    assertTrue(e.getMessage().contains("none.parquet: no such file or directory"), e.getMessage());
  }

  @Test
  void corruptParquetIsAnInputError() {
    Path f = DataFixtures.write(tmp.resolve("x.parquet"), "not parquet");
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> TableReader.read(spark, DataFixtures.CONF, f.toString(), null, null, "label", 1));
    assertTrue(e.getMessage().contains("x.parquet: Spark cannot read it as parquet"), e.getMessage());
  }
}
