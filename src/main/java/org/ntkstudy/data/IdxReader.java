package org.ntkstudy.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads MNIST-style IDX files (images magic 0x00000803, labels magic 0x00000801; gzipped or not)
 * through Hadoop's FileSystem, keeping the pixels as raw bytes.
 */
public final class IdxReader {
  /** Unsigned-byte data (0x08), 3 dimensions: images × rows × columns. */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Unsigned-byte data (0x08), 1 dimension: one label per image. */
  public static final int LABELS_MAGIC = 0x00000801;
  /** MNIST and Fashion-MNIST have ten classes: a label byte outside 0–9 is corrupt data. */
  public static final int CLASSES = 10;

  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private static final int IMAGES_HEADER = 16;
  private static final int LABELS_HEADER = 8;

  private IdxReader() {}

  /**
   * The train and test splits from a directory holding the four standard file names, each plain
   * or with .gz (whichever exists; the plain one when both do).
   */
  public static TrainTest readDir(String dir, Configuration conf) {
    Path d = HadoopIo.path(dir);
    ImageSet train = read(find(d, TRAIN_IMAGES, conf), find(d, TRAIN_LABELS, conf), conf);
    ImageSet test = read(find(d, TEST_IMAGES, conf), find(d, TEST_LABELS, conf), conf);
    return new TrainTest(train, test);
  }

  /** Finds {@code name} or {@code name.gz} in {@code dir}, or says what was looked for. */
  static Path find(Path dir, String name, Configuration conf) {
    List<String> tried = new ArrayList<>();
    for (String candidate : new String[] {name, name + ".gz"}) {
      Path p = new Path(dir, candidate);
      if (HadoopIo.exists(p, conf)) {
        return p;
      }
      tried.add(candidate);
    }
    throw new DataFormatException(
        HadoopIo.show(dir) + ": no " + name + " file: looked for " + String.join(", ", tried));
  }

  /** One split from an images file and its labels file (locations as the user gives them). */
  public static ImageSet read(String images, String labels, Configuration conf) {
    return read(HadoopIo.path(images), HadoopIo.path(labels), conf);
  }

  /** One split from an images file and its labels file. */
  public static ImageSet read(Path images, Path labels, Configuration conf) {
    int[] labelValues = readLabels(labels, conf);
    // Labels first (small): a count mismatch is then reported before the big payload is read.
    Images img = readImages(images, conf, labelValues.length, labels);
    String source = HadoopIo.show(images) + " + " + HadoopIo.show(labels);
    return new ByteImageSet(
        source,
        "image",
        img.rows * img.cols,
        labelValues,
        List.of(
            new ByteImageSet.Part(
                images.getName(), img.pixels, img.count, 0, img.rows * img.cols)));
  }

  private record Images(byte[] pixels, int count, int rows, int cols) {}

  private static Images readImages(
      Path path, Configuration conf, int expectedCount, Path labelsPath) {
    String file = HadoopIo.show(path);
    try (HadoopIo.Opened f = HadoopIo.open(path, conf)) {
      byte[] header = header(f, file, IMAGES_HEADER, IMAGES_MAGIC, "images");
      int count = HadoopIo.bigEndianInt(header, 4);
      int rows = HadoopIo.bigEndianInt(header, 8);
      int cols = HadoopIo.bigEndianInt(header, 12);
      if (count < 0 || rows <= 0 || cols <= 0) {
        throw new DataFormatException(
            file + ": header declares " + count + " images of " + rows + "x" + cols
                + " (bytes 4..15), expected positive sizes");
      }
      if (count != expectedCount) {
        throw new DataFormatException(
            "image count differs from label count: " + file + " has " + count + " images, "
                + HadoopIo.show(labelsPath) + " has " + expectedCount + " labels");
      }
      long payload = (long) count * rows * cols;
      if (payload > HadoopIo.MAX_ARRAY) {
        throw new DataFormatException(
            file + ": " + count + " images of " + rows + "x" + cols
                + " do not fit one array; split the file");
      }
      byte[] pixels = new byte[(int) payload];
      int read = HadoopIo.readFully(f, pixels, 0, pixels.length);
      if (read < payload) {
        throw new DataFormatException(
            file + ": truncated payload: the header promises " + payload + " pixel bytes ("
                + count + " images of " + rows + "x" + cols + ") after the " + IMAGES_HEADER
                + "-byte header, " + f.what() + " has " + read + " (ends at byte offset "
                + (IMAGES_HEADER + read) + ")");
      }
      long trailing = HadoopIo.countRest(f);
      if (trailing > 0) {
        throw new DataFormatException(
            file + ": " + trailing + " trailing bytes after the " + count + " images of " + rows
                + "x" + cols + " the header declares (from byte offset " + (IMAGES_HEADER + payload)
                + ")");
      }
      return new Images(pixels, count, rows, cols);
    }
  }

  /** The file's header of {@code size} bytes, its magic number checked first. */
  private static byte[] header(HadoopIo.Opened f, String file, int size, int magic, String kind) {
    byte[] header = new byte[size];
    int got = HadoopIo.readFully(f, header, 0, size);
    if (got >= 4) {
      checkMagic(file, HadoopIo.bigEndianInt(header, 0), magic);
    }
    if (got < size) {
      throw new DataFormatException(file + ": " + f.what() + " has " + got + " bytes, shorter than the " + size
          + "-byte IDX " + kind + " header");
    }
    return header;
  }

  private static int[] readLabels(Path path, Configuration conf) {
    String file = HadoopIo.show(path);
    try (HadoopIo.Opened f = HadoopIo.open(path, conf)) {
      byte[] header = header(f, file, LABELS_HEADER, LABELS_MAGIC, "labels");
      int count = HadoopIo.bigEndianInt(header, 4);
      if (count < 0) {
        throw new DataFormatException(
            file + ": header declares " + count + " labels (bytes 4..7), expected >= 0");
      }
      byte[] raw = new byte[count];
      int read = HadoopIo.readFully(f, raw, 0, count);
      if (read < count) {
        throw new DataFormatException(
            file + ": truncated payload: the header promises " + count + " label bytes after the "
                + LABELS_HEADER + "-byte header, " + f.what() + " has " + read);
      }
      long trailing = HadoopIo.countRest(f);
      if (trailing > 0) {
        throw new DataFormatException(
            file + ": " + trailing + " trailing bytes after the " + count
                + " labels the header declares (from byte offset " + (LABELS_HEADER + count) + ")");
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
        if (labels[i] >= CLASSES) {
          throw new DataFormatException(file + ": label " + i + " (byte offset " + (LABELS_HEADER + i) + ") is "
              + labels[i] + ", but MNIST and Fashion-MNIST labels are 0-" + (CLASSES - 1));
        }
      }
      return labels;
    }
  }

  private static void checkMagic(String file, int magic, int expected) {
    if (magic == expected) {
      return;
    }
    String what = expected == IMAGES_MAGIC ? "IDX unsigned-byte images" : "IDX unsigned-byte labels";
    String hint = "";
    if (magic == LABELS_MAGIC) {
      hint = "; this is an IDX labels file: are the images and labels files swapped?";
    } else if (magic == IMAGES_MAGIC) {
      hint = "; this is an IDX images file: are the images and labels files swapped?";
    }
    throw new DataFormatException(
        file + ": bad magic number " + hex(magic) + ", expected " + hex(expected) + " (" + what
            + ")" + hint);
  }

  static String hex(int v) {
    return String.format("0x%08x", v);
  }
}
