package org.ntkstudy.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads CIFAR-10 binary batches (3073-byte records: one label byte 0..9, then 1024 red, 1024 green
 * and 1024 blue bytes) through Hadoop's FileSystem; the file bytes are kept as read.
 *
 * <p>Pixels come out in the file's order, d = 3072: the red plane first, then green, then blue,
 * each plane row-major 32×32.
 */
public final class CifarReader {
  public static final int DIM = 3072;
  public static final int RECORD = DIM + 1;
  public static final int CLASSES = 10;
  /** The folder the official tarball unpacks to, looked in when the batches are not at the top. */
  public static final String SUBDIR = "cifar-10-batches-bin";

  private static final String[] TRAIN = {
    "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
    "data_batch_5.bin"
  };
  private static final String[] TEST = {"test_batch.bin"};

  private CifarReader() {}

  /** Train (data_batch_1..5.bin) and test (test_batch.bin) from {@code dir} or its subdirectory. */
  public static TrainTest readDir(String dir, Configuration conf) {
    Path base = locate(HadoopIo.path(dir), conf);
    return new TrainTest(read(files(base, TRAIN), conf), read(files(base, TEST), conf));
  }

  /**
   * The directory holding the batches: {@code dir} itself or {@code dir/cifar-10-batches-bin};
   * otherwise an error listing every missing file in both places.
   */
  static Path locate(Path dir, Configuration conf) {
    Path sub = new Path(dir, SUBDIR);
    List<String> missingTop = missing(dir, conf);
    if (missingTop.isEmpty()) {
      return dir;
    }
    List<String> missingSub = missing(sub, conf);
    if (missingSub.isEmpty()) {
      return sub;
    }
    // Report the place that looks more like a CIFAR directory (fewer files missing).
    boolean subCloser = missingSub.size() < missingTop.size();
    Path where = subCloser ? sub : dir;
    List<String> what = subCloser ? missingSub : missingTop;
    throw new DataFormatException(
        "CIFAR-10 binary batches not found: " + HadoopIo.show(where) + " lacks "
            + String.join(", ", what) + " (looked in " + HadoopIo.show(dir) + " and "
            + HadoopIo.show(sub) + "; each file may also end in .gz)");
  }

  private static List<String> missing(Path dir, Configuration conf) {
    List<String> missing = new ArrayList<>();
    for (String[] names : new String[][] {TRAIN, TEST}) {
      for (String name : names) {
        if (resolve(dir, name, conf) == null) {
          missing.add(name);
        }
      }
    }
    return missing;
  }

  private static Path resolve(Path dir, String name, Configuration conf) {
    for (String candidate : new String[] {name, name + ".gz"}) {
      Path p = new Path(dir, candidate);
      if (HadoopIo.exists(p, conf)) {
        return p;
      }
    }
    return null;
  }

  private static List<Path> files(Path dir, String[] names) {
    List<Path> out = new ArrayList<>();
    for (String name : names) {
      Path p = new Path(dir, name);
      out.add(p);
    }
    return out;
  }

  /** One split made of the given batch files, in that order (plain or .gz). */
  public static ImageSet read(List<Path> files, Configuration conf) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CIFAR-10 batch files given");
    }
    List<ByteImageSet.Part> parts = new ArrayList<>();
    List<int[]> labelLists = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    int total = 0;
    for (Path given : files) {
      Path path = given;
      if (!HadoopIo.exists(path, conf)) {
        Path gz = new Path(path.getParent(), path.getName() + ".gz");
        if (HadoopIo.exists(gz, conf)) {
          path = gz;
        }
      }
      String file = HadoopIo.show(path);
      byte[] bytes;
      try (HadoopIo.Opened f = HadoopIo.open(path, conf)) {
        bytes = HadoopIo.readAll(f);
      }
      if (bytes.length == 0) {
        throw new DataFormatException(file + ": empty file, expected 3073-byte CIFAR-10 records");
      }
      if (bytes.length % RECORD != 0) {
        throw new DataFormatException(
            file + ": wrong record length: " + bytes.length + " bytes is not a multiple of the "
                + RECORD + "-byte CIFAR-10 record (1 label + 3072 pixels): remainder "
                + (bytes.length % RECORD) + " (is this the binary version, not the Python one?)");
      }
      int count = bytes.length / RECORD;
      int[] labels = new int[count];
      for (int r = 0; r < count; r++) {
        int label = bytes[r * RECORD] & 0xff;
        if (label >= CLASSES) {
          throw new DataFormatException(
              file + ": record " + r + " (byte offset " + ((long) r * RECORD) + ") has label byte "
                  + label + ", expected 0..9");
        }
        labels[r] = label;
      }
      if ((long) total + count > Integer.MAX_VALUE) {
        throw new DataFormatException(file + ": too many records in one split");
      }
      total += count;
      labelLists.add(labels);
      // Pixels start one byte into each record, one record apart: the file is the storage.
      parts.add(new ByteImageSet.Part(path.getName(), bytes, count, 1, RECORD));
      shown.add(file);
    }
    int[] labels = new int[total];
    int at = 0;
    for (int[] l : labelLists) {
      System.arraycopy(l, 0, labels, at, l.length);
      at += l.length;
    }
    return new ByteImageSet(source(files, shown), "record", DIM, labels, parts);
  }

  /** "dir/{data_batch_1.bin, …}" when the files share a directory, else every path. */
  private static String source(List<Path> files, List<String> shown) {
    Path parent = files.get(0).getParent();
    boolean shared = files.size() > 1 && parent != null;
    for (Path p : files) {
      shared &= parent != null && parent.equals(p.getParent());
    }
    if (!shared) {
      return String.join(", ", shown);
    }
    List<String> names = new ArrayList<>();
    for (String s : shown) {
      names.add(s.substring(s.lastIndexOf('/') + 1));
    }
    return HadoopIo.show(parent) + "/{" + String.join(", ", names) + "}";
  }
}
