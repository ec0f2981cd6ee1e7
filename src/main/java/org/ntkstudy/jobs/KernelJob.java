package org.ntkstudy.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Npy;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.BlockLanczos;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.KernelResult;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockKernel;
import org.ntkstudy.spark.BlockedOperator;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.BlockStore;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.NtkBlockKernels;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kernel} job (SCIENCE §2): the analytic H∞ or the empirical Θ_m of a model, train×train
 * (upper-triangle blocks) and test×train, in blocks across executors, written as Parquet blocks.
 */
public final class KernelJob {
  private static final Logger LOG = LoggerFactory.getLogger(KernelJob.class);
  public static final String TRAIN_BLOCKS = "K_blocks.parquet";
  public static final String TEST_BLOCKS = "K_test_blocks.parquet";

  /** Which kernel: the infinite-width H∞ or the empirical NTK at a finite width. */
  public enum Kind {
    ANALYTIC,
    EMPIRICAL
  }

  /**
   * The job's configuration.
   *
   * @param width m (empirical; ignored when initWeights is given, which fixes it)
   * @param sigma0 the initial scale of W (does not change Θ_m's sign pattern; recorded)
   * @param initWeights a .npy of W (m×d) replacing the random draw, or null
   */
  public record Config(
      DatasetSpec data,
      String out,
      boolean overwrite,
      boolean npy,
      Model model,
      Kind kind,
      int width,
      double sigma0,
      String initWeights,
      int block,
      int partitions,
      long maxDriverBytes,
      int topK,
      boolean lanczos) {

    public Config {
      if (topK < 0) {
        throw new UserInputException("--top-k must be >= 0, got " + topK);
      }
      if (kind == Kind.EMPIRICAL && initWeights == null && width <= 0) {
        throw new UserInputException("--width must be positive, got " + width);
      }
      if (!(sigma0 > 0) || Double.isInfinite(sigma0)) {
        throw new UserInputException("--sigma0 must be a positive number, got " + sigma0);
      }
      if (block < 0 || partitions < 0) {
        throw new UserInputException("--block and --partitions must be >= 0");
      }
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(data.toMap());
      m.put("out", out);
      m.put("overwrite", overwrite);
      m.put("npy", npy);
      m.put("model", model.key());
      m.put("kind", kind.name().toLowerCase(Locale.ROOT));
      m.put("width", width);
      m.put("sigma0", sigma0);
      m.put("init_weights", initWeights);
      m.put("block", block);
      m.put("partitions", partitions);
      m.put("max_driver_mb", maxDriverBytes / (1024 * 1024));
      m.put("top_k", topK);
      m.put("lanczos", lanczos);
      return m;
    }
  }

  /** What the job produced; the dense matrices only when they fit the driver budget. */
  public record Result(Path out, KernelResult result, Matrix train, Matrix test) {}

  private final Config config;

  public KernelJob(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput.check(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    long t0 = System.nanoTime();
    StudyData data = Stages.run(jsc, "kernel/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    int n = data.train().n();
    int d = data.d();
    int block = config.block() > 0 ? Math.min(config.block(), n) : TaskMemory.defaultBlock(spark, n, d);
    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    ModelInputs inputs = ModelInputs.of(jsc, config.model(), data.train().inputs(), data.test().inputs(), block);

    Matrix w = null;
    int width = 0;
    if (config.kind() == Kind.EMPIRICAL) {
      w = config.initWeights() != null
          ? loadWeights(config.initWeights(), d, jsc)
          : TwoLayerNetwork.initial(config.width(), d, config.sigma0(), config.data().seed(), false).weights();
      width = w.rows();
    }

    BlockedRows train = BlockedRows.broadcast(jsc, inputs.train(), block);
    BlockedRows test = data.test().n() > 0
        ? BlockedRows.broadcast(jsc, inputs.test(), Math.min(block, data.test().n())) : null;
    Broadcast<Matrix> wb = w == null ? null : jsc.broadcast(w);
    // The empirical kernel computes each row block's activation pattern once per executor.
    BlockKernel trainKernel = config.kind() == Kind.ANALYTIC ? NtkBlockKernels.analytic() : NtkBlockKernels.empirical(wb);
    BlockKernel testKernel = trainKernel;
    long bytes = train.grid().upperTriangleBytes()
        + (test == null ? 0 : 8L * test.grid().n() * train.grid().n());
    output.requireSpace(bytes, "the kernel blocks (" + n + " x " + n + " upper triangle"
        + (test == null ? "" : " and " + test.grid().n() + " x " + n) + ")");
    String label = config.kind() == Kind.ANALYTIC ? "H_inf" : "Theta_" + width;
    JavaRDD<MatrixBlock> kBlocks = train.symmetricBlocks(trainKernel, config.partitions());
    Stages.run(jsc, "kernel/train", label + " (" + config.model().key() + ") train x train: "
        + train.grid().numPairs() + " upper-triangle blocks to Parquet",
        () -> BlockStore.write(spark, kBlocks, output.uri(TRAIN_BLOCKS)));
    if (test != null) {
      JavaRDD<MatrixBlock> tBlocks = test.crossBlocks(train, testKernel, config.partitions());
      Stages.run(jsc, "kernel/test", label + " test x train: "
          + (long) test.grid().numBlocks() * train.grid().numBlocks() + " blocks to Parquet",
          () -> BlockStore.write(spark, tBlocks, output.uri(TEST_BLOCKS)));
    }

    Map<String, Double> norms = blockNorms(BlockStore.read(spark, output.uri(TRAIN_BLOCKS)));
    BlockGrid grid = train.grid();
    Matrix kDense = null;
    Matrix kTest = null;
    Double lambdaMax = null;
    Double lambdaMin = null;
    Double kappa = null;
    List<Double> top = null;
    String topMethod = null;
    List<Double> topResiduals = null;
    if (grid.denseBytes() <= config.maxDriverBytes()) {
      kDense = Stages.run(jsc, "kernel/collect", "assemble K (" + n + "x" + n + ") on the driver",
          () -> BlockStore.collectSymmetric(BlockStore.read(spark, output.uri(TRAIN_BLOCKS)), grid,
              config.maxDriverBytes()));
      Matrix kd = kDense;
      double[] eig = Stages.run(jsc, "kernel/eigen", "eigenvalues of K (LAPACK dsyevd)",
          () -> DriverBlas.allCores(jsc, () -> SymmetricEigen.values(kd)));
      // A λmin made slightly negative by round-off is reported as it is (SCIENCE §2).
      lambdaMax = eig[0];
      lambdaMin = eig[eig.length - 1];
      kappa = eig[eig.length - 1] > 0 ? eig[0] / eig[eig.length - 1] : null;
      if (config.npy()) {
        output.writeNpy("eigenvalues.npy", eig);
      }
      if (test != null && (long) data.test().n() * n * 8 <= config.maxDriverBytes()) {
        List<MatrixBlock> tb = BlockStore.read(spark, output.uri(TEST_BLOCKS)).collect();
        kTest = BlockStore.assembleRectangular(tb, test.grid(), grid);
      }
      if (config.topK() > 0 && !config.lanczos()) {
        top = ResultJson.finiteList(java.util.Arrays.copyOf(eig, Math.min(config.topK(), n)));
        topMethod = "LAPACK dsyevd on the assembled matrix";
      }
    } else {
      LOG.warn("K ({}x{}) exceeds --max-driver-mb: no full spectrum or .npy; the blocks are in {}", n, n, TRAIN_BLOCKS);
    }
    if (config.topK() > 0 && (config.lanczos() || kDense == null)) {
      int k = Math.min(config.topK(), n);
      BlockedOperator op = new BlockedOperator(jsc, BlockStore.read(spark, output.uri(TRAIN_BLOCKS)), grid);
      BlockLanczos.Result lz = Stages.run(jsc, "kernel/lanczos", "top-" + k + " eigenvalues by block Lanczos over the"
          + " blocks on disk", () -> BlockLanczos.topK(op, n, k, Math.min(n, 2 * k), 30, 1e-8, 1));
      top = ResultJson.finiteList(lz.values());
      topMethod = "block Lanczos over the Parquet blocks (" + lz.passes() + " passes"
          + (lz.converged() ? "" : ", NOT converged") + ")";
      topResiduals = ResultJson.finiteList(lz.residuals());
      if (kDense == null) {
        lambdaMax = lz.values()[0];
      }
    }
    if (config.npy()) {
      if (kDense != null) {
        output.writeNpy("K.npy", kDense);
      }
      if (kTest != null) {
        output.writeNpy("K_test.npy", kTest);
      }
    }
    train.release();
    if (test != null) {
      test.release();
    }
    KernelResult result = new KernelResult(
        KernelResult.JOB,
        config.model().key(),
        config.kind().name().toLowerCase(Locale.ROOT),
        config.kind() == Kind.EMPIRICAL ? width : null,
        n,
        data.test().n(),
        d,
        block,
        norms.get("trace"),
        norms.get("frobenius"),
        lambdaMax,
        lambdaMin,
        kappa,
        top,
        topMethod,
        topResiduals,
        bytes,
        (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, config.toMap(), config.data().seed()));
    ResultJson.writeSummary(output, result);
    Path done = output.commit();
    LOG.info("kernel written to {}", done);
    return new Result(done, result, kDense, kTest);
  }

  /** trace(K) and ‖K‖_F from upper-triangle blocks (off-diagonal blocks count twice). */
  static Map<String, Double> blockNorms(JavaRDD<MatrixBlock> blocks) {
    double[] sums = blocks.map(b -> {
      double[] a = b.values().data();
      double ss = 0;
      double tr = 0;
      for (double v : a) {
        ss += v * v;
      }
      if (b.blockRow() == b.blockCol()) {
        int c = b.values().cols();
        for (int i = 0; i < b.values().rows(); i++) {
          tr += a[i * c + i];
        }
      } else {
        ss *= 2;
      }
      return new double[] {tr, ss};
    }).reduce((x, y) -> new double[] {x[0] + y[0], x[1] + y[1]});
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("trace", sums[0]);
    out.put("frobenius", Math.sqrt(sums[1]));
    return out;
  }

  static Matrix loadWeights(String uri, int d, JavaSparkContext jsc) {
    Matrix w = Npy.read(uri, jsc.hadoopConfiguration());
    if (w.cols() != d) {
      throw new UserInputException("--init-weights " + uri + " is " + w.rows() + "x" + w.cols()
          + " but the inputs have d = " + d + " (expected m x " + d + ")");
    }
    for (double v : w.data()) {
      if (!Double.isFinite(v)) {
        throw new UserInputException("--init-weights " + uri + " contains a non-finite value");
      }
    }
    return w;
  }
}
