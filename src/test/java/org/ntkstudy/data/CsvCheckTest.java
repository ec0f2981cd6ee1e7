package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV pre-check reads what Spark's CSV reader reads, and names lines as the file counts them. */
class CsvCheckTest {
  static final Configuration CONF = new Configuration();

  @Test
  void aByteOrderMarkBlankLinesAndCrlfAreReadAsSparkReadsThem(@TempDir Path dir) {
    Path f = DataFixtures.write(dir.resolve("t.csv"),
        "\uFEFF\r\n\r\nlabel,\"p1\",p2\r\n0,0.5,1e-1\r\n\r\n1,\"0.25\",+.5\r\n");
    CsvCheck.Lines lines = CsvCheck.check(new org.apache.hadoop.fs.Path(f.toString()), CONF);
    assertEquals(2, lines.rows());
    assertArrayEquals(new int[] {4, 6}, java.util.Arrays.copyOf(lines.lineOf(), 2));
    assertTrue(lines.where(1).endsWith("t.csv line 6"), lines.where(1));
  }

  @Test
  void nonFiniteValuesAndAGzipWithoutItsSuffixAreNamed(@TempDir Path dir) {
    Path nan = DataFixtures.write(dir.resolve("nan.csv"), "label,p1\n0,0.5\n1,NaN\n");
    String m = assertThrows(DataFormatException.class,
        () -> CsvCheck.check(new org.apache.hadoop.fs.Path(nan.toString()), CONF)).getMessage();
    assertTrue(m.endsWith("nan.csv line 3, column 'p1': NaN is not a finite number"), m);

    Path gz = DataFixtures.write(dir.resolve("g.csv"),
        DataFixtures.gzip("label,p1\n0,0.5\n".getBytes(StandardCharsets.UTF_8)));
    m = assertThrows(DataFormatException.class,
        () -> CsvCheck.check(new org.apache.hadoop.fs.Path(gz.toString()), CONF)).getMessage();
    assertTrue(m.contains("g.csv: a gzip file without the .gz suffix"), m);
  }

  @Test
  void splitsAsTheCsvReaderDoes() {
    assertArrayEquals(new String[] {"a", "b,c", "say \"hi\"", ""}, CsvCheck.split("a,\"b,c\",\"say \"\"hi\"\"\","));
    assertTrue(CsvCheck.isNumber("-1.5E+3") && CsvCheck.isNumber(".5") && CsvCheck.isNumber("7."));
    assertTrue(!CsvCheck.isNumber("1.2.3") && !CsvCheck.isNumber("e5") && !CsvCheck.isNumber("0x10"));
  }
}
