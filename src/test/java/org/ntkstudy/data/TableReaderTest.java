package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The row conversion of {@link TableReader}, without Spark: schemas and rows built by hand. */
class TableReaderTest {

  static StructType schema(Object... nameAndType) {
    List<StructField> fields = new ArrayList<>();
    for (int k = 0; k < nameAndType.length; k += 2) {
      fields.add(DataTypes.createStructField((String) nameAndType[k], (DataType) nameAndType[k + 1], true));
    }
    return DataTypes.createStructType(fields);
  }

  static DoubleImageSet convert(StructType schema, double scale, Row... rows) {
    TableReader.Layout layout = TableReader.plan(schema, "label", "t.parquet");
    return TableReader.convert(Arrays.asList(rows).iterator(), layout, scale, "t.parquet", "t.parquet");
  }

  static String failure(StructType schema, double scale, Row... rows) {
    return assertThrows(DataFormatException.class, () -> convert(schema, scale, rows)).getMessage();
  }

  static final StructType SCALARS =
      schema(
          "p0", DataTypes.DoubleType,
          "label", DataTypes.IntegerType,
          "p1", DataTypes.IntegerType,
          "p2", DataTypes.DoubleType);

  static Row scalarRow(Double p0, Object label, Integer p1, Double p2) {
    return RowFactory.create(p0, label, p1, p2);
  }

  @Test
  void everyOtherNumericColumnIsAFeatureInColumnOrder() {
    DoubleImageSet s =
        convert(SCALARS, 255, scalarRow(0.0, 3, 255, 127.5), scalarRow(51.0, 0, 1, 255.0));
    assertEquals(2, s.size());
    assertEquals(3, s.dim());
    assertArrayEquals(new int[] {3, 0}, s.labels());
    double[] p = new double[6];
    s.pixels(0, p, 0);
    s.pixels(1, p, 3);
    assertArrayEquals(
        new double[] {0, 1, 127.5 / 255, 51.0 / 255, 1 / 255.0, 1}, p, 0.0);
    assertEquals("t.parquet row 1", s.describe(1));
  }

  @Test
  void integralDoubleLabelsAreAccepted() {
    StructType st = schema("label", DataTypes.DoubleType, "a", DataTypes.DoubleType);
    assertArrayEquals(
        new int[] {4, 0}, convert(st, 1, RowFactory.create(4.0, 0.5), RowFactory.create(0.0, 1.0)).labels());
  }

  @Test
  void rowsArePutInFileThenPositionOrder() {
    StructType st =
        schema(
            "label", DataTypes.IntegerType,
            "a", DataTypes.DoubleType,
            TableReader.FILE_COLUMN, DataTypes.StringType,
            TableReader.POS_COLUMN, DataTypes.LongType);
    // Spark hands the bigger file's split first; file order is part-0 before part-1.
    DoubleImageSet s =
        convert(
            st,
            1,
            RowFactory.create(5, 0.5, "file:/d/part-1.csv", 1L << 33),
            RowFactory.create(6, 0.6, "file:/d/part-1.csv", (1L << 33) + 1),
            RowFactory.create(2, 0.2, "file:/d/part-0.csv", 7L),
            RowFactory.create(1, 0.1, "file:/d/part-0.csv", 3L));
    assertArrayEquals(new int[] {1, 2, 5, 6}, s.labels());
    double[] p = new double[1];
    s.pixels(1, p, 0);
    assertEquals(0.2, p[0], 0.0);
  }

  @Test
  void vectorAndArrayColumnsAreFeatures() {
    StructType vec = schema("label", DataTypes.LongType, "features", SQLDataTypes.VectorType());
    DoubleImageSet v =
        convert(
            vec,
            2,
            RowFactory.create(1L, Vectors.dense(0, 1, 2)),
            RowFactory.create(2L, Vectors.sparse(3, new int[] {1}, new double[] {1.5})));
    assertEquals(3, v.dim());
    double[] p = new double[3];
    v.pixels(1, p, 0);
    assertArrayEquals(new double[] {0, 0.75, 0}, p, 0.0);

    StructType arr =
        schema("x", DataTypes.createArrayType(DataTypes.FloatType), "label", DataTypes.ShortType);
    DoubleImageSet a =
        convert(arr, 1, RowFactory.create(seq(0.5f, 0.25f), (short) 7));
    a.pixels(0, p, 0);
    assertEquals(0.25, p[1], 0.0);
    assertArrayEquals(new int[] {7}, a.labels());
    String m = failure(arr, 1, RowFactory.create(seq(0.5f, 0.25f), (short) 7), RowFactory.create(seq(0.5f), (short) 1));
    assertTrue(m.contains("t.parquet row 1: column 'x' has 1 values, other rows have 2"), m);
    m = failure(arr, 1, RowFactory.create(seq(0.5f, null), (short) 7));
    assertTrue(m.contains("row 0, column 'x[1]': null value"), m);
  }

  @SafeVarargs
  static <T> scala.collection.Seq<T> seq(T... values) {
    // A Spark Row holds an array column as a Scala Seq; nulls allowed, so no List.of.
    List<T> list = new ArrayList<>();
    for (T v : values) {
      list.add(v);
    }
    return scala.collection.JavaConverters.asScalaBufferConverter(list).asScala();
  }

  @Test
  void missingOrNonIntegerLabelIsRejected() {
    StructType noLabel = schema("y", DataTypes.IntegerType, "a", DataTypes.DoubleType);
    String m = assertThrows(DataFormatException.class, () -> TableReader.plan(noLabel, "label", "t.csv")).getMessage();
    assertTrue(m.contains("t.csv: no label column 'label' (columns: y, a)"), m);

    StructType st = schema("label", DataTypes.DoubleType, "a", DataTypes.DoubleType);
    m = failure(st, 1, RowFactory.create(1.0, 0.5), RowFactory.create(2.5, 0.5));
    assertTrue(m.contains("t.parquet row 1: label 'label' is 2.5"), m);
    m = failure(st, 1, RowFactory.create(null, 0.5));
    assertTrue(m.contains("row 0: label 'label' is null"), m);

    StructType text = schema("label", DataTypes.StringType, "a", DataTypes.DoubleType);
    m = assertThrows(DataFormatException.class, () -> TableReader.plan(text, "label", "t.csv")).getMessage();
    assertTrue(m.contains("has type string"), m);
  }

  @Test
  void nullNanAndOutOfRangeFeaturesNameRowAndColumn() {
    String m = failure(SCALARS, 1, scalarRow(0.5, 1, 0, 0.5), scalarRow(0.5, 1, 1, null));
    assertTrue(m.contains("t.parquet row 1, column 'p2': null value"), m);
    m = failure(SCALARS, 1, scalarRow(Double.NaN, 1, 0, 0.5));
    assertTrue(m.contains("row 0, column 'p0': NaN"), m);
    m = failure(SCALARS, 1, scalarRow(0.5, 1, 0, 0.5), scalarRow(0.5, 1, 200, 0.5));
    assertTrue(m.contains("row 1, column 'p1': 200.0 is outside [0, 1]"), m);
    assertTrue(m.contains("--pixel-scale 255"), m);
  }

  @Test
  void ambiguousOrNonNumericFeaturesAreRejected() {
    StructType both =
        schema("label", DataTypes.IntegerType, "id", DataTypes.IntegerType, "f", SQLDataTypes.VectorType());
    String m = assertThrows(DataFormatException.class, () -> TableReader.plan(both, "label", "t")).getMessage();
    assertTrue(m.contains("both numeric columns"), m);
    StructType text = schema("label", DataTypes.IntegerType, "name", DataTypes.StringType, "a", DataTypes.DoubleType);
    m = assertThrows(DataFormatException.class, () -> TableReader.plan(text, "label", "t")).getMessage();
    assertTrue(m.contains("name: string"), m);
    assertThrows(DataFormatException.class, () -> convert(SCALARS, 1));
  }

  @Test
  void formatComesFromTheSuffix() {
    assertEquals("csv", TableReader.format("s3a://b/x.csv", null));
    assertEquals("csv", TableReader.format("/x/Y.CSV/", null));
    assertEquals("parquet", TableReader.format("/x/y.parquet", null));
    assertEquals("parquet", TableReader.format("/x/dir", null));
    assertEquals("csv", TableReader.format("/x/dir", "CSV"));
  }

  @Nested
  class Contract extends ImageSetContract {
    @Override
    ImageSet imageSet() {
      return convert(SCALARS, 255, scalarRow(0.0, 3, 255, 127.5), scalarRow(51.0, 0, 1, 255.0));
    }
  }
}
