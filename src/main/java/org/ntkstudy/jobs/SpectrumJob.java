package org.ntkstudy.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.ConditionNumbers;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.results.VerdictRules;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockKernel;
import org.ntkstudy.spark.BlockStore;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.GramSpectrum;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code spectrum} job (SCIENCE §1): C = XᵀX, the Gram matrix G = XXᵀ in blocks, the attended
 * features X̃ (rows of XC normalised), the spectra of G, G³ and X̃X̃ᵀ, and every condition number
 * and theory threshold of §1.
 */
public final class SpectrumJob {
  private static final Logger LOG = LoggerFactory.getLogger(SpectrumJob.class);

  /** Name of the blocked Gram matrix in the output folder. */
  public static final String GRAM_BLOCKS = "gram_blocks.parquet";

  /**
   * The job's configuration.
   *
   * @param data the dataset subset
   * @param out the output folder
   * @param overwrite replace an existing output folder
   * @param npy also write .npy matrices for notebooks
   * @param block block size (0: chosen from the task memory)
   * @param partitions tasks for the block pairs (0: BlockedRows.defaultTasks)
   * @param tol relative tolerance of the numerical rank
   * @param eps target error of the v1 width threshold
   * @param lambda λ_ridge of κ_ridge
   * @param route how G's spectrum is computed
   * @param maxDriverBytes the largest dense matrix the driver may hold
   */
  public record Config(
      DatasetSpec data,
      String out,
      boolean overwrite,
      boolean npy,
      int block,
      int partitions,
      double tol,
      double eps,
      double lambda,
      GramSpectrum.Route route,
      long maxDriverBytes) {

    public Config {
      if (!(tol > 0 && tol < 1)) {
        throw new UserInputException("--tol must be in (0, 1), got " + tol);
      }
      if (!(eps > 0)) {
        throw new UserInputException("--eps must be positive, got " + eps);
      }
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new UserInputException("--lambda must be a finite number >= 0, got " + lambda);
      }
      if (block < 0) {
        throw new UserInputException("--block must be positive (or 0 for automatic), got " + block);
      }
      if (partitions < 0) {
        throw new UserInputException("--partitions must be >= 0, got " + partitions);
      }
      if (maxDriverBytes <= 0) {
        throw new UserInputException("--max-driver-mb must be positive");
      }
    }

    /** Option name → value, for the summary's provenance. */
    /** The same configuration writing to {@code out} (the study job places its parts). */
    public Config withOut(String out, boolean overwrite) {
      return new Config(data, out, overwrite, npy, block, partitions, tol, eps, lambda, route, maxDriverBytes);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(data.toMap());
      m.put("out", out);
      m.put("overwrite", overwrite);
      m.put("npy", npy);
      m.put("block", block);
      m.put("partitions", partitions);
      m.put("tol", tol);
      m.put("eps", eps);
      m.put("lambda", lambda);
      m.put("route", route.name().toLowerCase());
      m.put("max_driver_mb", maxDriverBytes / (1024 * 1024));
      return m;
    }

    /** The settings that decide the numbers (for the study's {@code --resume}). */
    public Fingerprint fingerprint() {
      return Fingerprint.of(toMap());
    }
  }

  /**
   * What the job produced.
   *
   * @param out the final output folder
   * @param result the contents of summary.json
   * @param eigenvaluesG G's eigenvalues, descending
   * @param eigenvaluesAttn X̃X̃ᵀ's eigenvalues, descending
   */
  public record Result(Path out, SpectrumResult result, double[] eigenvaluesG, double[] eigenvaluesAttn) {}

  private final Config config;

  public SpectrumJob(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput.check(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    long t0 = System.nanoTime();
    Map<String, Double> timings = new LinkedHashMap<>();

    StudyData data =
        Stages.run(jsc, "spectrum/data", "load " + config.data().dataset() + " (n=" + config.data().n() + ")",
            () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    Matrix x = data.train().inputs();
    int n = x.rows();
    int d = x.cols();
    int block = config.block() > 0 ? Math.min(config.block(), n) : TaskMemory.defaultBlock(spark, n, d);
    LOG.info("n = {}, d = {}, block = {} ({} blocks, {} block pairs)", n, d, block,
        new BlockGrid(n, block).numBlocks(), new BlockGrid(n, block).numPairs());
    timings.put("load_s", seconds(t0));

    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    BlockGrid grid = rows.grid();
    output.requireSpace(grid.upperTriangleBytes() + (config.npy() ? grid.denseBytes() : 0),
        "G's blocks (" + n + " x " + n + " upper triangle)" + (config.npy() ? " and gram.npy" : ""));

    long t = System.nanoTime();
    Matrix c = Stages.run(jsc, "spectrum/covariance",
        "C = X^T X (" + d + "x" + d + ") over " + grid.numBlocks() + " row blocks", rows::gramian);
    timings.put("covariance_s", seconds(t));

    t = System.nanoTime();
    JavaRDD<MatrixBlock> gBlocks = rows.symmetricBlocks(BlockKernel.linear(), config.partitions());
    String gramUri = output.uri(GRAM_BLOCKS);
    Stages.run(jsc, "spectrum/gram",
        "G = X X^T: " + grid.numPairs() + " upper-triangle blocks of " + block + " rows, to Parquet",
        () -> BlockStore.write(spark, gBlocks, gramUri));
    timings.put("gram_blocks_s", seconds(t));

    boolean needDenseG = config.npy() || GramSpectrum.chooseRoute(config.route(), n, d) == GramSpectrum.Route.GRAM;
    Matrix g = null;
    if (needDenseG) {
      if (grid.denseBytes() <= config.maxDriverBytes()) {
        g = Stages.run(jsc, "spectrum/collect-gram", "assemble G (" + n + "x" + n + ") on the driver",
            () -> BlockStore.collectSymmetric(BlockStore.read(spark, gramUri), grid, config.maxDriverBytes()));
      } else if (GramSpectrum.chooseRoute(config.route(), n, d) == GramSpectrum.Route.GRAM) {
        BlockStore.requireFits(grid, config.maxDriverBytes());
      } else {
        LOG.warn("gram.npy skipped: a dense {}x{} G exceeds --max-driver-mb", n, n);
      }
    }

    t = System.nanoTime();
    GramSpectrum.Result specG = GramSpectrum.of(jsc, "spectrum/eigen-G", "G", config.route(), n, d, c, g);
    timings.put("eigen_G_s", seconds(t));

    t = System.nanoTime();
    Matrix xt = ModelInputs.attend(jsc, rows, c, new Matrix(0, d), block).train();
    rows.release();
    timings.put("attend_s", seconds(t));

    t = System.nanoTime();
    GramSpectrum.Result specA = GramSpectrum.ofRows(jsc, "spectrum/eigen-attn", "X~X~^T", config.route(), xt, block,
        config.partitions(), config.maxDriverBytes());
    timings.put("eigen_attn_s", seconds(t));

    double[] eigG = specG.eigenvalues();
    double[] eigG3 = ConditionNumbers.power(eigG, 3);
    double[] eigA = specA.eigenvalues();
    ConditionNumbers.Figures f =
        ConditionNumbers.of(eigG, d, config.tol(), config.eps(), config.lambda());
    if (f.kappaTolWarning() != null) {
      LOG.warn(f.kappaTolWarning());
    }

    timings.put("total_s", seconds(t0));
    SpectrumResult result = new SpectrumResult(
        SpectrumResult.JOB,
        config.data().dataset(),
        data.task().name().toLowerCase(),
        java.util.Arrays.stream(data.classes()).boxed().toList(),
        n,
        d,
        block,
        specG.route().name().toLowerCase(),
        specA.route().name().toLowerCase(),
        f.lambdaMax(),
        f.lambdaMin(),
        f.r(),
        f.lambdaR(),
        config.tol(),
        f.rankTol(),
        f.kappaTol(),
        f.kappaTolWarning(),
        f.kappaD(),
        f.kappaDStatus(),
        config.lambda(),
        f.kappaRidge(),
        f.kappaCubed(),
        SpectrumResult.kappaFamily(eigG, eigG3, eigA),
        config.eps(),
        f.log10MStarV1(),
        f.log10MStarV2(),
        eigA[0],
        Map.of("C1", c1(SpectrumResult.kappaFamily(eigG, eigG3, eigA), f.rankTol())),
        SpectrumResult.DEFINITIONS,
        timings,
        Provenance.record(spark, config.toMap(), config.data().seed()));

    writeEigenvalues(spark, output, eigG, eigG3, eigA);
    if (config.npy()) {
      output.writeNpy("eigenvalues_G.npy", eigG);
      output.writeNpy("eigenvalues_G3.npy", eigG3);
      output.writeNpy("eigenvalues_attn.npy", eigA);
      if (g != null) {
        output.writeNpy("gram.npy", g);
      }
    }
    ResultJson.writeSummary(output, result);
    Path done = output.fingerprint(config.fingerprint()).commit();
    LOG.info("spectrum written to {}", done);
    return new Result(done, result, eigG, eigA);
  }

  private static void writeEigenvalues(SparkSession spark, RunOutput out, double[] g, double[] g3, double[] a) {
    List<Row> rows = new ArrayList<>(g.length * 3);
    addRows(rows, "G", g);
    addRows(rows, "G3", g3);
    addRows(rows, "attn", a);
    StructType schema =
        new StructType()
            .add("matrix", DataTypes.StringType, false)
            .add("index", DataTypes.IntegerType, false)
            .add("eigenvalue", DataTypes.DoubleType, false);
    spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(out.uri("eigenvalues.parquet"));
    org.ntkstudy.io.CsvTable.write(out, "eigenvalues.csv", schema, rows);
  }

  private static void addRows(List<Row> rows, String matrix, double[] values) {
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create(matrix, i + 1, values[i]));
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** C1 (SCIENCE §7) from the κ_k of G and of X̃X̃ᵀ, logged. */
  private static Verdict c1(Map<String, Double> kappaKs, int rankTol) {
    Map<Integer, Double> g = new LinkedHashMap<>();
    Map<Integer, Double> attn = new LinkedHashMap<>();
    for (int k : VerdictRules.KAPPA_KS) {
      g.put(k, kappaKs.get("kappa_" + k + "_G"));
      attn.put(k, kappaKs.get("kappa_" + k + "_attn"));
    }
    Verdict v = VerdictRules.c1(g, attn, rankTol);
    LOG.info("C1: {}", v.sentence());
    return v;
  }
}
