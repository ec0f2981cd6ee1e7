package org.ntkstudy.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.DenseMatrix;
import org.apache.spark.mllib.linalg.distributed.BlockMatrix;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.Npy;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.JobOptions;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockKernel;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code bench} job: times, in one run, our blocked Gram G = XXᵀ on Spark, MLlib's
 * BlockMatrix product, NumPy's two-thread {@code X @ X.T}, and LAPACK eigenvalues against NumPy's
 * {@code eigvalsh}, and compares them with the targets of the performance issue.
 *
 * <p>Contenders run in interleaved rounds (ours, BlockMatrix, NumPy, ours-eigen; repeated), not
 * one after the other, because this host drifts by ±30% within minutes (NOTES-spark-blas): a slow
 * minute then costs every contender alike instead of one. Each figure is the median of its rounds.
 */
public final class GramBench {
  private static final Logger LOG = LoggerFactory.getLogger(GramBench.class);

  /** ours GFLOP/s ÷ NumPy GFLOP/s must reach this. */
  public static final double TARGET_GRAM_VS_NUMPY = 0.60;
  /** ours GFLOP/s ÷ BlockMatrix GFLOP/s must reach this. */
  public static final double TARGET_GRAM_VS_BLOCKMATRIX = 3.0;
  /** our eigenvalue seconds ÷ NumPy's must stay at or below this. */
  public static final double TARGET_EIGEN_TIME_VS_NUMPY = 1.5;
  /** NumPy gets two BLAS threads: the comparison is against NumPy on this 2-core machine. */
  public static final int NUMPY_THREADS = 2;
  /** Seed of the symmetric eigen-n×eigen-n test matrix, fixed so every run solves the same one. */
  public static final long EIGEN_SEED = 20260313L;

  /** Names of the figures, as they appear in the summary. */
  public static final String GRAM_OURS = "gram_ours";
  public static final String GRAM_BLOCKMATRIX = "gram_blockmatrix";
  public static final String GRAM_NUMPY = "gram_numpy";
  public static final String GRAM_NUMPY_OUT = "gram_numpy_out";
  public static final String EIGEN_OURS = "eigen_ours";
  public static final String EIGEN_NUMPY = "eigen_numpy";

  /**
   * The bench's configuration: the rows X come either from a dataset ({@code data}) or from memory
   * ({@code inputs}, for tests and notebooks), exactly one of the two.
   *
   * @param data the dataset to load n training rows from, or null
   * @param inputs the rows X (n×d) already in memory, or null
   * @param block block size in rows, for ours and BlockMatrix alike
   * @param repeats timed rounds per figure (the median is reported)
   * @param eigenN side of the symmetric matrix whose eigenvalues are timed
   * @param skipNumpy do not run NumPy (its figures and ratios are then absent)
   * @param python the Python interpreter that runs NumPy
   * @param out output folder for summary.json, or null for none
   * @param overwrite replace an existing output folder
   */
  public record Config(
      DatasetSpec data,
      Matrix inputs,
      int block,
      int repeats,
      int eigenN,
      boolean skipNumpy,
      String python,
      String out,
      boolean overwrite) {

    public Config {
      if ((data == null) == (inputs == null)) {
        throw new IllegalArgumentException("give exactly one of a dataset spec and in-memory inputs");
      }
      if (block <= 0) {
        throw new UserInputException("--block must be positive, got " + block);
      }
      if (repeats <= 0) {
        throw new UserInputException("--repeats must be positive, got " + repeats);
      }
      if (eigenN <= 0) {
        throw new UserInputException("--eigen-n must be positive, got " + eigenN);
      }
      if (python == null || python.isBlank()) {
        throw new UserInputException("--python is empty");
      }
      if (data != null) {
        data.validate();
      }
    }

    /** A bench of rows already in memory, with no output folder. */
    public static Config ofInputs(Matrix inputs, int block, int repeats, int eigenN, boolean skipNumpy) {
      return new Config(null, inputs, block, repeats, eigenN, skipNumpy, "python3", null, false);
    }

    /** Option name → value, for the summary's provenance. */
    public Map<String, Object> toMap() {
      Map<String, Object> m =
          data != null ? new LinkedHashMap<>(JobOptions.datasetMap(data)) : new LinkedHashMap<>();
      if (inputs != null) {
        m.put("dataset", "in-memory");
        m.put("n", inputs.rows());
      }
      m.put("block", block);
      m.put("repeats", repeats);
      m.put("eigen_n", eigenN);
      m.put("eigen_seed", EIGEN_SEED);
      m.put("skip_numpy", skipNumpy);
      m.put("python", python);
      m.put("out", out);
      m.put("overwrite", overwrite);
      return m;
    }
  }

  /**
   * One timed figure: the seconds of each round, and the flops one round does by the convention
   * of the issue (2n²d for a Gram, whatever part of it an implementation skips), or null.
   */
  public record Figure(String key, String label, double[] runs, Double flops) {
    public double medianSeconds() {
      return median(runs);
    }

    /** Flops ÷ median seconds ÷ 10⁹, or null when the figure has no flop count. */
    public Double gflops() {
      return flops == null ? null : flops / medianSeconds() / 1e9;
    }
  }

  /**
   * A ratio against its target.
   *
   * @param value the ratio, or null when a contender did not run
   * @param atLeast true when the value must reach the target, false when it must stay at or below
   */
  public record Ratio(String key, Double value, double target, boolean atLeast) {
    public String status() {
      if (value == null) {
        return "SKIPPED";
      }
      return (atLeast ? value >= target : value <= target) ? "PASS" : "MISS";
    }

    String targetText() {
      return (atLeast ? ">= " : "<= ") + trim(target);
    }
  }

  /**
   * What the bench measured.
   *
   * @param out the output folder, or null when none was asked for
   * @param summary everything, as written to summary.json
   * @param figures the timed figures, in table order (NumPy's absent when it did not run)
   * @param ratios the three ratios with their targets
   * @param gramMaxAbsError max |G − XXᵀ| over the blocks our Spark path produced (checked once)
   * @param blockMatrixMaxAbsError the same for BlockMatrix's product
   * @param eigenMaxRelDiff max |λ_ours − λ_NumPy| ÷ max |λ|, or null when NumPy did not run
   * @param report the printed table
   */
  public record Result(
      Path out,
      Map<String, Object> summary,
      List<Figure> figures,
      List<Ratio> ratios,
      double gramMaxAbsError,
      double blockMatrixMaxAbsError,
      Double eigenMaxRelDiff,
      String report) {

    /** The figure named {@code key}, or null when it was not measured. */
    public Figure figure(String key) {
      return find(figures, key);
    }

    public Ratio ratio(String key) {
      return ratios.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
  }

  private final Config config;

  public GramBench(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput output =
        config.out() == null ? null : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());

    Matrix x =
        config.inputs() != null
            ? config.inputs()
            : Stages.run(jsc, "bench/data", "load " + config.data().dataset() + " (n=" + config.data().n() + ")",
                () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark).train().inputs());
    int n = x.rows();
    int d = x.cols();
    int block = Math.min(config.block(), n);
    BlockGrid grid = new BlockGrid(n, block);
    double gramFlops = 2.0 * n * (double) n * d;
    String threads = envOr("OPENBLAS_NUM_THREADS", "(unset)");
    LOG.info("bench: n = {}, d = {}, block = {} ({} blocks, {} pairs), eigen-n = {}, repeats = {}; BLAS {}, LAPACK {},"
            + " OPENBLAS_NUM_THREADS={}, executor OPENBLAS_NUM_THREADS={}, master {}, {} cores",
        n, d, block, grid.numBlocks(), grid.numPairs(), config.eigenN(), config.repeats(), Blas.blasName(),
        Blas.lapackName(), threads,
        spark.sparkContext().getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS", "(unset)"),
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism());

    String loadBefore = loadAverage();
    Matrix eigenMatrix = randomSymmetric(config.eigenN(), EIGEN_SEED);
    NumpyRunner numpy = config.skipNumpy() ? null : NumpyRunner.prepare(config.python(), x, eigenMatrix);
    BlockMatrix a = null;
    try {
      a = Stages.run(jsc, "bench/blockmatrix-build", "build and cache MLlib BlockMatrix A = X (not timed)",
          () -> cachedBlockMatrix(jsc, x, block));
      BlockMatrix aFinal = a;

      // Warm-up, untimed: the first Spark job of a kind pays class loading and JIT.
      Stages.run(jsc, "bench/warm-up", "one untimed run of each Spark path", () -> {
        timeOurs(jsc, x, block);
        timeBlockMatrix(aFinal, n);
      });

      double[] ours = new double[config.repeats()];
      double[] bm = new double[config.repeats()];
      double[] eig = new double[config.repeats()];
      List<Double> npGram = new ArrayList<>();
      List<Double> npGramOut = new ArrayList<>();
      List<Double> npEig = new ArrayList<>();
      double[] eigenOurs = null;
      for (int r = 0; r < config.repeats(); r++) {
        String round = " (round " + (r + 1) + "/" + config.repeats() + ")";
        ours[r] = Stages.run(jsc, "bench/gram-ours", "G = XX^T, broadcast X + i<=j block pairs" + round,
            () -> timeOurs(jsc, x, block));
        bm[r] = Stages.run(jsc, "bench/gram-blockmatrix", "G = A.multiply(A.transpose) on MLlib BlockMatrix" + round,
            () -> timeBlockMatrix(aFinal, n));
        if (numpy != null && numpy.available()) {
          NumpyRunner.Round np = numpy.round();
          if (np != null) {
            npGram.add(np.gramSeconds());
            npGramOut.add(np.gramOutSeconds());
            npEig.add(np.eigenSeconds());
          }
        }
        long t0 = System.nanoTime();
        // The same call the jobs make on the driver: all cores in local mode (DriverBlas).
        eigenOurs = DriverBlas.allCores(jsc, () -> SymmetricEigen.values(eigenMatrix));
        eig[r] = seconds(t0);
        LOG.info(String.format(Locale.ROOT, "round %d: ours %.3f s, BlockMatrix %.3f s%s, eigen ours %.3f s%s", r + 1,
            ours[r], bm[r], npGram.size() > r
                ? String.format(Locale.ROOT, ", NumPy %.3f s (out= %.3f s)", npGram.get(r), npGramOut.get(r)) : "",
            eig[r], npEig.size() > r ? String.format(Locale.ROOT, ", NumPy %.3f s", npEig.get(r)) : ""));
      }

      // Correctness, computed once and untimed, on the same code paths that were timed.
      double gramError = Stages.run(jsc, "bench/check", "max |G - XX^T| of ours (not timed)",
          () -> checkOurs(jsc, x, block));
      double bmError = Stages.run(jsc, "bench/check-blockmatrix", "max |G - XX^T| of BlockMatrix (not timed)",
          () -> maxAbsError(upperBlocks(aFinal.multiply(aFinal.transpose())), grid, x));
      Double eigenDiff = null;
      if (numpy != null && numpy.lastEigenvalues() != null) {
        eigenDiff = maxRelDiff(eigenOurs, numpy.lastEigenvalues());
      }

      List<Figure> figures = new ArrayList<>();
      figures.add(new Figure(GRAM_OURS, "G = XX^T, ours: broadcast X, i<=j block pairs", ours, gramFlops));
      figures.add(new Figure(GRAM_BLOCKMATRIX, "G = XX^T, MLlib BlockMatrix A.multiply(A^T)", bm, gramFlops));
      if (!npGram.isEmpty()) {
        figures.add(new Figure(GRAM_NUMPY, "G = XX^T, NumPy X @ X.T, " + NUMPY_THREADS + " threads", toArray(npGram),
            gramFlops));
        figures.add(new Figure(GRAM_NUMPY_OUT, "G = XX^T, NumPy matmul(X, X.T, out=G), " + NUMPY_THREADS + " threads",
            toArray(npGramOut), gramFlops));
      }
      figures.add(new Figure(EIGEN_OURS, "eigenvalues, ours: LAPACK dsyevd (values)", eig, null));
      if (!npEig.isEmpty()) {
        figures.add(new Figure(EIGEN_NUMPY, "eigenvalues, NumPy eigvalsh, " + NUMPY_THREADS + " threads",
            toArray(npEig), null));
      }
      Figure fo = find(figures, GRAM_OURS);
      Figure fb = find(figures, GRAM_BLOCKMATRIX);
      Figure fn = fasterOf(find(figures, GRAM_NUMPY), find(figures, GRAM_NUMPY_OUT));
      Figure eo = find(figures, EIGEN_OURS);
      Figure en = find(figures, EIGEN_NUMPY);
      List<Ratio> ratios = List.of(
          new Ratio("gram_vs_numpy", fn == null ? null : fo.gflops() / fn.gflops(), TARGET_GRAM_VS_NUMPY, true),
          new Ratio("gram_vs_blockmatrix", fo.gflops() / fb.gflops(), TARGET_GRAM_VS_BLOCKMATRIX, true),
          new Ratio("eigen_time_vs_numpy", en == null ? null : eo.medianSeconds() / en.medianSeconds(),
              TARGET_EIGEN_TIME_VS_NUMPY, false));

      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("job", "bench");
      summary.put("dataset", config.inputs() != null ? "in-memory" : config.data().dataset());
      summary.put("n", n);
      summary.put("d", d);
      summary.put("block", block);
      summary.put("blocks", grid.numBlocks());
      summary.put("block_pairs", grid.numPairs());
      summary.put("eigen_n", config.eigenN());
      summary.put("repeats", config.repeats());
      summary.put("gram_flops", gramFlops);
      for (Figure f : figures) {
        summary.put(f.key() + "_s", f.medianSeconds());
        if (f.gflops() != null) {
          summary.put(f.key() + "_gflops", f.gflops());
        }
      }
      for (Ratio r : ratios) {
        summary.put(r.key(), r.value());
        summary.put(r.key() + "_target", r.targetText());
        summary.put(r.key() + "_status", r.status());
      }
      summary.put("gram_vs_numpy_against", fn == null ? null : fn.key());
      Map<String, Object> runs = new LinkedHashMap<>();
      for (Figure f : figures) {
        runs.put(f.key(), f.runs());
      }
      summary.put("runs_s", runs);
      summary.put("gram_max_abs_error", gramError);
      summary.put("blockmatrix_max_abs_error", bmError);
      summary.put("eigen_max_rel_diff_vs_numpy", eigenDiff);
      summary.put("blas", Blas.blasName());
      summary.put("lapack", Blas.lapackName());
      summary.put("openblas_num_threads", threads);
      summary.put("openblas_coretype", System.getenv("OPENBLAS_CORETYPE"));
      summary.put("executor_openblas_num_threads",
          spark.sparkContext().getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS", null));
      summary.put("spark_master", spark.sparkContext().master());
      summary.put("cores", spark.sparkContext().defaultParallelism());
      summary.put("available_processors", Runtime.getRuntime().availableProcessors());
      summary.put("load_average_before", loadBefore);
      summary.put("load_average_after", loadAverage());
      summary.put("numpy", numpy == null ? Map.of("status", "skipped (--skip-numpy)") : numpy.describe());
      summary.put("definitions", definitions());
      // The run's seed is the one that chose X; the eigen matrix's fixed seed is in the config.
      long seed = config.data() != null ? config.data().seed() : EIGEN_SEED;
      summary.put("provenance", Provenance.of(spark, config.toMap(), seed));

      String report = report(summary, figures, ratios, gramError, bmError, eigenDiff);
      Path done = null;
      if (output != null) {
        output.writeJson("summary.json", summary);
        done = output.commit();
        LOG.info("bench written to {}", done);
      }
      return new Result(done, summary, figures, ratios, gramError, bmError, eigenDiff, report);
    } finally {
      if (a != null) {
        a.blocks().unpersist(false);
      }
      if (numpy != null) {
        numpy.close();
      }
    }
  }

  /**
   * One timed run of our path, from X on the driver to every upper-triangle block materialised
   * on the executors: the broadcast is part of the work, the result stays there (nothing is
   * collected or written).
   */
  static double timeOurs(JavaSparkContext jsc, Matrix x, int block) {
    long t0 = System.nanoTime();
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    long elements = countElements(rows.symmetricBlocks(BlockKernel.linear(), 0));
    double s = seconds(t0);
    rows.release();
    requireElements(elements, rows.grid().upperTriangleBytes() / 8, "ours");
    return s;
  }

  /** One timed run of MLlib's product, A (already cached) times its transpose, blocks materialised. */
  static double timeBlockMatrix(BlockMatrix a, int n) {
    long t0 = System.nanoTime();
    BlockMatrix g = a.multiply(a.transpose());
    long elements =
        g.blocks().toJavaRDD().map(b -> (long) b._2().numRows() * b._2().numCols()).reduce(Long::sum);
    double s = seconds(t0);
    requireElements(elements, (long) n * n, "BlockMatrix");
    return s;
  }

  /**
   * Counts the elements of every block: touches each block (so it is computed) and returns one
   * number per task, so the timing holds no collect.
   */
  private static long countElements(JavaRDD<MatrixBlock> blocks) {
    return blocks.map(b -> (long) b.values().rows() * b.values().cols()).reduce(Long::sum);
  }

  private static void requireElements(long got, long expected, String what) {
    if (got != expected) {
      throw new IllegalStateException(what + " produced " + got + " elements, expected " + expected);
    }
  }

  /** Our blocks once more, collected, against XXᵀ. */
  private static double checkOurs(JavaSparkContext jsc, Matrix x, int block) {
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    List<MatrixBlock> blocks = rows.symmetricBlocks(BlockKernel.linear(), 0).collect();
    rows.release();
    return maxAbsError(blocks, rows.grid(), x);
  }

  /**
   * max |G_IJ − (XXᵀ)_IJ| over upper-triangle blocks, each expected exactly once. The reference
   * is one block row of XXᵀ at a time, X_I·Xᵀ against all of X, so it never shares the blocking
   * of the result it checks; a missing or repeated block is an error, not a small number.
   */
  static double maxAbsError(List<MatrixBlock> blocks, BlockGrid grid, Matrix x) {
    int nb = grid.numBlocks();
    List<List<MatrixBlock>> byRow = new ArrayList<>();
    for (int i = 0; i < nb; i++) {
      byRow.add(new ArrayList<>());
    }
    for (MatrixBlock b : blocks) {
      if (b.blockRow() < 0 || b.blockRow() >= nb || b.blockCol() < b.blockRow() || b.blockCol() >= nb) {
        throw new IllegalStateException(
            "block (" + b.blockRow() + ", " + b.blockCol() + ") is not an upper-triangle block");
      }
      byRow.get(b.blockRow()).add(b);
    }
    int n = grid.n();
    double worst = 0;
    for (int i = 0; i < nb; i++) {
      List<MatrixBlock> row = byRow.get(i);
      row.sort(Comparator.comparingInt(MatrixBlock::blockCol));
      if (row.size() != nb - i) {
        throw new IllegalStateException("block row " + i + " has " + row.size() + " blocks, expected " + (nb - i));
      }
      int r0 = grid.blockStart(i);
      Matrix ref = Blas.multiplyTransposed(x.rowRange(r0, r0 + grid.blockRows(i)), x);
      for (int k = 0; k < row.size(); k++) {
        MatrixBlock b = row.get(k);
        if (b.blockCol() != i + k) {
          throw new IllegalStateException("block (" + i + ", " + (i + k) + ") is missing or repeated");
        }
        Matrix v = b.values();
        int c0 = grid.blockStart(b.blockCol());
        if (v.rows() != grid.blockRows(i) || v.cols() != grid.blockRows(b.blockCol())) {
          throw new IllegalStateException("block (" + i + ", " + b.blockCol() + ") has shape " + v);
        }
        for (int r = 0; r < v.rows(); r++) {
          for (int c = 0; c < v.cols(); c++) {
            worst = Math.max(worst, Math.abs(v.get(r, c) - ref.get(r, c0 + c)));
          }
        }
      }
    }
    return worst;
  }

  /**
   * A = X as an MLlib BlockMatrix of {@code block}×d blocks (what {@code toBlockMatrix(block, d)}
   * builds: column-major dense blocks, one block column), cached and materialised so that only
   * the product is timed.
   */
  static BlockMatrix cachedBlockMatrix(JavaSparkContext jsc, Matrix x, int block) {
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    int d = x.cols();
    JavaRDD<Tuple2<Tuple2<Object, Object>, org.apache.spark.mllib.linalg.Matrix>> blocks =
        rows.rdd()
            .map(rb -> {
              Matrix colMajor = rb.rows().transpose();
              org.apache.spark.mllib.linalg.Matrix m = new DenseMatrix(rb.rows().rows(), d, colMajor.data());
              Tuple2<Object, Object> key = new Tuple2<>(rb.index(), 0);
              return new Tuple2<Tuple2<Object, Object>, org.apache.spark.mllib.linalg.Matrix>(key, m);
            });
    blocks.cache();
    BlockMatrix a = new BlockMatrix(blocks.rdd(), block, d, x.rows(), d);
    long elements = a.blocks().toJavaRDD().map(b -> (long) b._2().numRows() * b._2().numCols()).reduce(Long::sum);
    requireElements(elements, (long) x.rows() * d, "BlockMatrix A");
    rows.release();
    return a;
  }

  /** The upper-triangle blocks of a BlockMatrix result, row-major, on the driver. */
  private static List<MatrixBlock> upperBlocks(BlockMatrix g) {
    return g.blocks()
        .toJavaRDD()
        .filter(b -> (Integer) b._1()._1() <= (Integer) b._1()._2())
        .map(b -> {
          org.apache.spark.mllib.linalg.Matrix m = b._2();
          // toArray is column-major: read as cols×rows row-major, it is the transpose.
          Matrix rowMajor = new Matrix(m.numCols(), m.numRows(), m.toArray()).transpose();
          return new MatrixBlock((Integer) b._1()._1(), (Integer) b._1()._2(), rowMajor);
        })
        .collect();
  }

  /** A symmetric m×m matrix of uniform entries in [−1, 1), the same for the same seed. */
  public static Matrix randomSymmetric(int m, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix s = new Matrix(m, m);
    double[] a = s.data();
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        double v = 2 * rnd.nextDouble() - 1;
        a[i * m + j] = v;
        a[j * m + i] = v;
      }
    }
    return s;
  }

  /** n random rows of dimension d scaled to unit length, like the study's inputs x = p/|p|. */
  public static Matrix randomUnitRows(int n, int d, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = new Matrix(n, d);
    double[] a = x.data();
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        double v = rnd.nextDouble();
        a[i * d + j] = v;
        norm += v * v;
      }
      double inv = 1 / Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        a[i * d + j] *= inv;
      }
    }
    return x;
  }

  /** max |a_k − b_k| ÷ max |a_k|, both descending. */
  private static double maxRelDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("NumPy returned " + b.length + " eigenvalues, ours " + a.length);
    }
    double scale = 0;
    double worst = 0;
    for (int k = 0; k < a.length; k++) {
      scale = Math.max(scale, Math.abs(a[k]));
      worst = Math.max(worst, Math.abs(a[k] - b[k]));
    }
    return scale == 0 ? worst : worst / scale;
  }

  private static String report(Map<String, Object> s, List<Figure> figures, List<Ratio> ratios, double gramError,
      double bmError, Double eigenDiff) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nbench: n = %s, d = %s, block = %s (%s blocks, %s pairs), eigen-n = %s,"
            + " median of %s rounds%n", s.get("n"), s.get("d"), s.get("block"), s.get("blocks"), s.get("block_pairs"),
        s.get("eigen_n"), s.get("repeats")));
    @SuppressWarnings("unchecked")
    Map<String, Object> np = (Map<String, Object>) s.get("numpy");
    sb.append(String.format(Locale.ROOT,
        "BLAS %s, LAPACK %s, OPENBLAS_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %s, %s cores%n",
        s.get("blas"), s.get("lapack"), s.get("openblas_num_threads"), s.get("openblas_coretype"),
        s.get("spark_master"), s.get("cores")));
    sb.append(String.format(Locale.ROOT, "NumPy: %s%n", np.getOrDefault("version", np.get("status"))
        + (np.get("openblas_corename") != null
            ? " (OpenBLAS " + np.get("blas_version") + ", " + np.get("openblas_corename") + ", " + np.get("threads")
                + " threads)" : "")));
    sb.append(String.format(Locale.ROOT, "host load average (1/5/15 min) before %s, after %s%n%n",
        s.get("load_average_before"), s.get("load_average_after")));
    sb.append(String.format(Locale.ROOT, "  %-50s %10s %9s   %s%n", "figure", "median s", "GFLOP/s", "rounds (s)"));
    for (Figure f : figures) {
      StringBuilder rounds = new StringBuilder();
      for (double v : f.runs()) {
        rounds.append(String.format(Locale.ROOT, "%.3f ", v));
      }
      String label = f.label() + (f.key().startsWith("eigen") ? " " + s.get("eigen_n") + "x" + s.get("eigen_n") : "");
      sb.append(String.format(Locale.ROOT, "  %-50s %10.3f %9s   %s%n", label, f.medianSeconds(),
          f.gflops() == null ? "-" : String.format(Locale.ROOT, "%.1f", f.gflops()), rounds.toString().trim()));
    }
    sb.append(String.format(Locale.ROOT, "%n  %-22s %8s %9s  %s%n", "ratio", "value", "target", "status"));
    for (Ratio r : ratios) {
      sb.append(String.format(Locale.ROOT, "  %-22s %8s %9s  %s%n", r.key(),
          r.value() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.value()), r.targetText(), r.status()));
    }
    sb.append(String.format(Locale.ROOT, "%n  checks: max|G_ours - XX^T| = %.2e, max|G_BlockMatrix - XX^T| = %.2e,"
        + " max|lambda_ours - lambda_NumPy| / max|lambda| = %s%n", gramError, bmError,
        eigenDiff == null ? "-" : String.format(Locale.ROOT, "%.2e", eigenDiff)));
    sb.append("  GFLOP/s = 2 n^2 d / t, whatever part of G an implementation computes (ours and NumPy use symmetry,"
        + " BlockMatrix does not)\n");
    return sb.toString();
  }

  private static Map<String, String> definitions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gram_*_gflops", "2 n^2 d / median seconds, whatever part of G the implementation computes");
    m.put("gram_ours_s", "X on the driver -> broadcast -> every i<=j block of G materialised on the executors"
        + " (counted, not collected)");
    m.put("gram_blockmatrix_s", "A.multiply(A.transpose()) with A cached beforehand -> every block of G"
        + " materialised (counted, not collected)");
    m.put("gram_numpy_s", "X @ X.T in a Python process with " + NUMPY_THREADS + " BLAS threads, X already loaded,"
        + " a new result each call");
    m.put("gram_numpy_out_s", "np.matmul(X, X.T, out=G) into a result allocated once (no first-touch page faults)");
    m.put("eigen_ours_s", "SymmetricEigen.values (LAPACK dsyevd, values only) of the eigen_n x eigen_n matrix, on the"
        + " driver as the jobs call it (DriverBlas: all cores in local mode)");
    m.put("eigen_numpy_s", "np.linalg.eigvalsh of the same matrix");
    m.put("gram_vs_numpy", "gram_ours_gflops / the larger of gram_numpy_gflops and gram_numpy_out_gflops");
    m.put("gram_vs_blockmatrix", "gram_ours_gflops / gram_blockmatrix_gflops");
    m.put("eigen_time_vs_numpy", "eigen_ours_s / eigen_numpy_s");
    m.put("runs_s", "the seconds of every timed round; rounds interleave the contenders, after one untimed"
        + " warm-up of each Spark path");
    return m;
  }

  /**
   * The faster of NumPy's two figures, or null. A fresh 512 MiB result is first-touched on every
   * call (glibc returns it to the system), which after the bench's Spark shuffles sometimes
   * doubled NumPy's time; our JVM reuses a warm heap. Comparing with the faster one never flatters
   * ours.
   */
  private static Figure fasterOf(Figure a, Figure b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.medianSeconds() <= b.medianSeconds() ? a : b;
  }

  private static Figure find(List<Figure> figures, String key) {
    return figures.stream().filter(f -> f.key().equals(key)).findFirst().orElse(null);
  }

  /** The median of a list of timings (the three benches' one figure per contender). */
  static double median(List<Double> v) {
    return median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int k = s.length / 2;
    return s.length % 2 == 1 ? s[k] : 0.5 * (s[k - 1] + s[k]);
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * The host's 1/5/15-minute load averages (Linux), or null: on a shared 2-core host a load well
   * above what the bench itself adds means the figures were taken while something else ran.
   */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Runs NumPy in one Python child process that lives for the whole bench and times one round
   * per request, so its rounds interleave with ours. One process, warmed up once, because a fresh
   * process's first two {@code X @ X.T} at n = 8192 took twice as long as later ones (1.47 s
   * against 0.76 s: first touch of the 512 MiB results), and our JVM is measured warm too.
   */
  static final class NumpyRunner implements AutoCloseable {
    /**
     * Prints one JSON line when ready (or "error" when NumPy cannot be imported, so Java can skip
     * loudly), then one per "round" line read from stdin, until "quit".
     */
    private static final String SCRIPT = """
        import ctypes, glob, json, os, sys, time
        try:
            import numpy as np
        except ImportError as e:
            print(json.dumps({"error": "NumPy is not installed for " + sys.executable + ": " + str(e)}), flush=True)
            sys.exit(0)

        def corename():
            # Which OpenBLAS kernel NumPy runs: threadpoolctl would say, but is not always installed.
            libs = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
            for path in glob.glob(os.path.join(libs, "*openblas*")):
                lib = ctypes.CDLL(path)
                for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                             "openblas_get_corename64_", "openblas_get_corename"):
                    f = getattr(lib, name, None)
                    if f is not None:
                        f.restype = ctypes.c_char_p
                        return f().decode()
            return None

        x_path, e_path, w_path = sys.argv[1], sys.argv[2], sys.argv[3]
        X = np.load(x_path)
        A = np.load(e_path)
        # Warm-up, untimed: thread start-up and first touch of two results' memory.
        G = X @ X.T
        G = X @ X.T
        del G
        G_out = np.empty((X.shape[0], X.shape[0]))
        np.matmul(X, X.T, out=G_out)
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        print(json.dumps({"ready": True, "version": np.__version__, "blas": blas.get("name"),
                          "blas_version": blas.get("version"), "openblas_corename": corename(),
                          "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                          "python": sys.version.split()[0]}), flush=True)
        for line in sys.stdin:
            if line.strip() != "round":
                break
            t = time.perf_counter()
            G = X @ X.T
            gram = time.perf_counter() - t
            del G
            t = time.perf_counter()
            np.matmul(X, X.T, out=G_out)
            gram_out = time.perf_counter() - t
            t = time.perf_counter()
            w = np.linalg.eigvalsh(A)
            eig = time.perf_counter() - t
            np.save(w_path, w[::-1].copy())
            print(json.dumps({"gram_s": gram, "gram_out_s": gram_out, "eigen_s": eig}), flush=True)
        """;

    /** One round's seconds. */
    record Round(double gramSeconds, double gramOutSeconds, double eigenSeconds) {}

    private final String python;
    private final java.nio.file.Path dir;
    private Process process;
    private BufferedReader stdout;
    private Writer stdin;
    private final StringBuffer stderr = new StringBuffer();
    private boolean available = true;
    private String skipReason;
    private Map<String, Object> info;
    private double[] lastEigenvalues;

    private NumpyRunner(String python, java.nio.file.Path dir) {
      this.python = python;
      this.dir = dir;
    }

    static NumpyRunner prepare(String python, Matrix x, Matrix eigenMatrix) {
      try {
        java.nio.file.Path dir = Files.createTempDirectory("ntk-bench-");
        writeNpy(dir.resolve("x.npy"), x);
        writeNpy(dir.resolve("eigen.npy"), eigenMatrix);
        Files.writeString(dir.resolve("bench_numpy.py"), SCRIPT);
        return new NumpyRunner(python, dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the NumPy bench's inputs to a temporary folder", e);
      }
    }

    private static void writeNpy(java.nio.file.Path p, Matrix m) throws IOException {
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
        Npy.write(o, m);
      }
    }

    boolean available() {
      return available;
    }

    double[] lastEigenvalues() {
      return lastEigenvalues;
    }

    /**
     * Starts the worker and waits until it has loaded and warmed up; false (with a loud warning)
     * when Python or NumPy is missing.
     */
    private boolean start() throws IOException {
      ProcessBuilder pb = new ProcessBuilder(python, dir.resolve("bench_numpy.py").toString(),
          dir.resolve("x.npy").toString(), dir.resolve("eigen.npy").toString(), dir.resolve("w.npy").toString());
      Map<String, String> env = pb.environment();
      env.put("OPENBLAS_NUM_THREADS", Integer.toString(NUMPY_THREADS));
      env.put("OMP_NUM_THREADS", Integer.toString(NUMPY_THREADS));
      env.put("MKL_NUM_THREADS", Integer.toString(NUMPY_THREADS));
      // Set on this machine for old OpenBLAS builds; they pin current NumPy to slower kernels.
      env.remove("OPENBLAS_CORETYPE");
      env.remove("OPENBLAS_L2_SIZE");
      try {
        process = pb.start();
      } catch (IOException e) {
        skip(python + " cannot be started (" + e.getMessage() + ")");
        return false;
      }
      Process p = process;
      // Drained on its own thread so a chatty stderr can never block the worker.
      Thread drain = new Thread(() -> {
        try (var err = new BufferedReader(
            new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = err.readLine()) != null) {
            stderr.append(line).append('\n');
          }
        } catch (IOException e) {
          // The worker ended; what it printed so far is kept.
        }
      }, "numpy-stderr");
      drain.setDaemon(true);
      drain.start();
      stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
      Map<String, Object> ready = readReply();
      if (ready.containsKey("error")) {
        skip(String.valueOf(ready.get("error")));
        return false;
      }
      info = ready;
      return true;
    }

    /** Runs one round; null (and NumPy marked unavailable, with a loud warning) when it cannot run. */
    Round round() {
      try {
        if (process == null && !start()) {
          return null;
        }
        stdin.write("round\n");
        stdin.flush();
        Map<String, Object> json = readReply();
        try (InputStream in = Files.newInputStream(dir.resolve("w.npy"))) {
          lastEigenvalues = Npy.read(in, "w.npy").data();
        }
        return new Round(((Number) json.get("gram_s")).doubleValue(), ((Number) json.get("gram_out_s")).doubleValue(),
            ((Number) json.get("eigen_s")).doubleValue());
      } catch (IOException e) {
        throw failure("cannot talk to the NumPy worker: " + e.getMessage());
      }
    }

    /** The worker's next JSON line; a failure with its stderr when it ended instead. */
    private Map<String, Object> readReply() throws IOException {
      String line = stdout.readLine();
      if (line == null) {
        throw failure("the NumPy worker ended");
      }
      try {
        return Json.read(line);
      } catch (IllegalArgumentException e) {
        throw failure("the NumPy worker printed " + line);
      }
    }

    private IllegalStateException failure(String what) {
      Integer exit = null;
      try {
        if (process.waitFor(5, TimeUnit.SECONDS)) {
          exit = process.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new IllegalStateException(what + (exit == null ? "" : " (exit " + exit + ")") + ":\n"
          + stderr.toString().strip() + "\n(pass --skip-numpy to run without it)");
    }

    private void skip(String reason) {
      available = false;
      skipReason = reason;
      LOG.warn("\n**********************************************************************\n"
          + "* NumPy SKIPPED: {}\n"
          + "* The NumPy figures and the ratios against NumPy are missing.\n"
          + "* Install NumPy (e.g. apt-get install -y python3-numpy) or pass --python PATH;\n"
          + "* pass --skip-numpy to skip it on purpose.\n"
          + "**********************************************************************", reason);
    }

    /** What ran: NumPy's version, BLAS and kernel, or why it was skipped. */
    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (info == null) {
        m.put("status", "skipped: " + (skipReason == null ? "not run" : skipReason));
        return m;
      }
      m.put("status", "ran");
      m.putAll(info);
      m.remove("ready");
      m.put("threads", NUMPY_THREADS);
      m.put("env_removed", List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"));
      return m;
    }

    @Override
    public void close() {
      if (process != null) {
        try {
          stdin.write("quit\n");
          stdin.close();
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (IOException e) {
          process.destroyForcibly();
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
        String err = stderr.toString().strip();
        if (!err.isEmpty()) {
          LOG.info("NumPy worker stderr:\n{}", err);
        }
      }
      try (var files = Files.list(dir)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        LOG.warn("could not remove the temporary folder {}: {}", dir, e.getMessage());
      }
    }
  }
}
