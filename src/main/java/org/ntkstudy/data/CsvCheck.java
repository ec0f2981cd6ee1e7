package org.ntkstudy.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A CSV table checked line by line on the driver before Spark reads it, because Spark's reader
 * forgives what a study must not: a row with extra values loses them, a word among numbers turns
 * its whole column into strings, and a binary file reads as a table with odd column names. Every
 * error names the file and the line as a person counts lines in it (the header is line 1), and the
 * column. Also records where each data row is, so that later errors (a label out of range, a value
 * outside [0, 1]) name the line too.
 */
public final class CsvCheck {
  private CsvCheck() {}

  /** Where each data row is, in file order: row r is {@code files[fileOf[r]]} line {@code lineOf[r]}. */
  record Lines(List<String> files, int[] fileOf, int[] lineOf, int rows) {
    String where(int r) {
      return files.get(fileOf[r]) + " line " + lineOf[r];
    }
  }

  /**
   * Checks every file of CSV table {@code location} (a file, or a folder of part files read in
   * name order as Spark does): UTF-8 text, a header, the header's number of values on every line,
   * and a number in every cell.
   *
   * @throws DataFormatException naming the file, line, column and value at fault
   */
  static Lines check(Path location, Configuration conf) {
    List<Path> files = files(location, conf);
    if (files.isEmpty()) {
      throw new DataFormatException(HadoopIo.show(location) + ": no CSV files in the folder");
    }
    List<String> names = new ArrayList<>();
    int[] fileOf = new int[1 << 10];
    int[] lineOf = new int[1 << 10];
    int rows = 0;
    String[] header = null;
    String headerFile = null;
    for (Path p : files) {
      String shown = HadoopIo.show(p);
      int id = names.size();
      names.add(shown);
      HadoopIo.Opened f = HadoopIo.open(p, conf);
      if (f.gzip && !HadoopIo.gzipByName(p)) {
        f.close();
        // Spark decompresses by the name only: it would read this file's compressed bytes as text.
        throw new DataFormatException(shown + ": a gzip file without the .gz suffix: name it " + p.getName()
            + ".gz (Spark decompresses by the name)");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(f.in,
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
        int line = 0;
        String text;
        String[] fileHeader = null;
        while (true) {
          try {
            text = in.readLine();
          } catch (CharacterCodingException e) {
            throw new DataFormatException(shown + ": not a text CSV file: line " + (line + 1) + " is not UTF-8 text");
          }
          if (text == null) {
            break;
          }
          line++;
          if (text.indexOf('\0') >= 0) {
            throw new DataFormatException(shown + ": not a text CSV file: line " + line + " holds a zero byte");
          }
          if (fileHeader == null) {
            if (line == 1 && text.startsWith("\uFEFF")) {
              text = text.substring(1); // a byte-order mark, which Spark's reader drops too
            }
            if (text.isBlank()) {
              continue; // Spark takes the first line that is not blank as the header
            }
            fileHeader = split(text);
            if (header == null) {
              header = fileHeader;
              headerFile = shown;
            } else if (!Arrays.equals(header, fileHeader)) {
              throw new DataFormatException(shown + " line 1: its header differs from the header of " + headerFile);
            }
            continue;
          }
          if (text.isBlank()) {
            continue; // Spark skips blank lines too
          }
          String[] cells = split(text);
          if (cells.length != header.length) {
            throw new DataFormatException(shown + " line " + line + ": " + cells.length + " values, but the header"
                + " (line 1) names " + header.length + " columns");
          }
          for (int j = 0; j < cells.length; j++) {
            String c = cells[j].strip();
            if (c.isEmpty()) {
              throw new DataFormatException(shown + " line " + line + ", column '" + header[j] + "': no value");
            }
            if (isNonFinite(c)) {
              throw new DataFormatException(shown + " line " + line + ", column '" + header[j] + "': " + c
                  + " is not a finite number");
            }
            if (!isNumber(c)) {
              throw new DataFormatException(shown + " line " + line + ", column '" + header[j] + "': '" + abbreviate(c)
                  + "' is not a number");
            }
          }
          if (rows == fileOf.length) {
            fileOf = Arrays.copyOf(fileOf, 2 * rows);
            lineOf = Arrays.copyOf(lineOf, 2 * rows);
          }
          fileOf[rows] = id;
          lineOf[rows] = line;
          rows++;
        }
        if (fileHeader == null) {
          throw new DataFormatException(shown + ": the file is empty: expected a header line, then one line per"
              + " example");
        }
      } catch (IOException e) {
        throw HadoopIo.readError(p, f.gzip, e);
      }
    }
    if (rows == 0) {
      throw new DataFormatException(HadoopIo.show(location) + ": the table has no rows: a header (line 1), then one"
          + " line per example");
    }
    return new Lines(names, fileOf, lineOf, rows);
  }

  /** The part files of a table, in path order; Spark's markers (_SUCCESS) and hidden files are not data. */
  private static List<Path> files(Path location, Configuration conf) {
    if (!HadoopIo.isDirectory(location, conf)) {
      return List.of(location);
    }
    FileSystem fs = HadoopIo.fileSystem(location, conf);
    List<Path> out = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(location)) {
        String n = s.getPath().getName();
        if (s.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
          out.add(s.getPath());
        }
      }
    } catch (IOException e) {
      throw new DataFormatException(HadoopIo.show(location) + ": cannot list the folder: " + e.getMessage());
    }
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  /** The values of one CSV line: commas outside double quotes separate; "" inside quotes is a quote. */
  public static String[] split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(cell.toString());
    return out.toArray(String[]::new);
  }

  private static boolean isNonFinite(String c) {
    String rest = c.startsWith("+") || c.startsWith("-") ? c.substring(1) : c;
    return rest.equals("NaN") || rest.equals("Inf") || rest.equals("Infinity");
  }

  /** Whether a cell is a decimal number Spark reads as one (digits, a point, an exponent; NaN and Inf too). */
  static boolean isNumber(String c) {
    int i = 0;
    int n = c.length();
    if (c.charAt(0) == '+' || c.charAt(0) == '-') {
      i++;
    }
    String rest = c.substring(i);
    if (rest.equals("NaN") || rest.equals("Inf") || rest.equals("Infinity")) {
      return true;
    }
    int digits = 0;
    while (i < n && Character.isDigit(c.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && c.charAt(i) == '.') {
      i++;
      while (i < n && Character.isDigit(c.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (c.charAt(i) == 'e' || c.charAt(i) == 'E')) {
      i++;
      if (i < n && (c.charAt(i) == '+' || c.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && Character.isDigit(c.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static String abbreviate(String c) {
    return c.length() <= 40 ? c : c.substring(0, 37) + "...";
  }
}
