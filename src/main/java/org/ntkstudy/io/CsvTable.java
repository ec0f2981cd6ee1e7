package org.ntkstudy.io;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A small result table as CSV beside its Parquet copy, for readers without Parquet (the
 * notebooks: Debian has no pyarrow). Header row of the schema's names; a null is an empty field;
 * doubles in Java's shortest round-trip form; text quoted only when it needs it.
 */
public final class CsvTable {
  private CsvTable() {}

  public static void write(RunOutput out, String relative, StructType schema, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      b.append(i > 0 ? "," : "").append(quote(fields[i].name()));
    }
    b.append('\n');
    for (Row r : rows) {
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        Object v = r.get(i);
        if (v == null || (v instanceof Double d && !Double.isFinite(d))) {
          continue;
        }
        b.append(v instanceof String s ? quote(s) : String.valueOf(v));
      }
      b.append('\n');
    }
    out.writeText(relative, b.toString());
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
