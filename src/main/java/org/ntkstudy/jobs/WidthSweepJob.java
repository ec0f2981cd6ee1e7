package org.ntkstudy.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.ConditionNumbers;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.Statistics;
import org.ntkstudy.math.SweepMetrics;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.Fit;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.results.Thresholds;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.results.VerdictRules;
import org.ntkstudy.results.WidthFigures;
import org.ntkstudy.spark.AnalyticReference;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.spark.GridJob;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.GramSpectrum;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sweep} job (SCIENCE §3): does the empirical NTK Θ_m converge to H∞, and at what
 * width? The grid models × widths × seeds is the unit of distribution: each cell draws its
 * network, builds Θ_m on train×train and test×train, and measures it against H∞ (computed once per
 * model in blocks and broadcast). Per width: means and 95% intervals over seeds; per model and
 * metric: the log–log fit and the extrapolated width m̂(ε), beside the theory thresholds.
 */
public final class WidthSweepJob extends GridJob<WidthSweepJob> {
  private static final Logger LOG = LoggerFactory.getLogger(WidthSweepJob.class);
  /** The metrics of §3, in the order of the tables. */
  public static final List<String> METRICS = WidthFigures.ERRORS;
  /** H∞'s eigenvalues (H_inf_eigenvalues.*) are written when n is at most this (dsyevd on the driver). */
  public static final int MAX_HINF_EIGEN = 2500;

  /**
   * The job's configuration.
   *
   * @param seeds S, the number of seeds per (model, width): seeds seed, seed + 1, …, seed + S − 1
   * @param fitMinWidth the smallest width in the fits (`--fit-min-width`)
   * @param maxCellBytes memory one cell may use (≈ 8 n×n matrices)
   */
  public record Config(
      DatasetSpec data,
      String out,
      boolean overwrite,
      boolean npy,
      List<Model> models,
      List<Integer> widths,
      int seeds,
      double sigma0,
      double lambda,
      double eps,
      double tol,
      int fitMinWidth,
      int block,
      int partitions,
      long maxCellBytes,
      double practicalWidth) {

    public Config {
      models = List.copyOf(models);
      widths = List.copyOf(widths);
      if (models.isEmpty()) {
        throw new UserInputException("--models needs at least one of relu, attn");
      }
      if (widths.isEmpty() || widths.stream().anyMatch(m -> m <= 0)) {
        throw new UserInputException("--widths must be positive integers, got " + widths);
      }
      if (widths.stream().distinct().count() != widths.size()) {
        throw new UserInputException("--widths has a repeated width: " + widths);
      }
      if (seeds <= 0) {
        throw new UserInputException("--seeds must be positive, got " + seeds);
      }
      if (!(practicalWidth > 0) || Double.isInfinite(practicalWidth)) {
        throw new UserInputException("--practical-width must be a positive width in neurons, got " + practicalWidth);
      }
      UserInputException.requirePositive("--lambda", lambda);
      UserInputException.requirePositive("--eps", eps);
      UserInputException.requirePositive("--sigma0", sigma0);
      UserInputException.requireBetween("--tol", tol, 0, 1);
    }

    /** The same configuration writing to {@code out} (the study job places its parts). */
    public Config withOut(String out, boolean overwrite) {
      return new Config(data, out, overwrite, npy, models, widths, seeds, sigma0, lambda, eps, tol, fitMinWidth, block,
          partitions, maxCellBytes, practicalWidth);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(data.toMap());
      m.put("out", out);
      m.put("overwrite", overwrite);
      m.put("npy", npy);
      m.put("models", models.stream().map(Model::key).toList());
      m.put("widths", widths);
      m.put("seeds", seeds);
      m.put("sigma0", sigma0);
      m.put("lambda", lambda);
      m.put("eps", eps);
      m.put("tol", tol);
      m.put("fit_min_width", fitMinWidth);
      m.put("block", block);
      m.put("partitions", partitions);
      m.put("max_cell_mb", maxCellBytes / (1024 * 1024));
      m.put("practical_width", practicalWidth);
      return m;
    }

    /** The settings that decide the numbers (for {@code --resume}). */
    public Fingerprint fingerprint() {
      return Fingerprint.of(toMap());
    }
  }

  /** One (model, width, seed) cell: its key and figures. */
  public static final class CellResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public final Model model;
    public final int width;
    public final long seed;
    public final SweepMetrics.Cell cell;

    CellResult(Model model, int width, long seed, SweepMetrics.Cell cell) {
      this.model = model;
      this.width = width;
      this.seed = seed;
      this.cell = cell;
    }

    /** The value of metric {@code name} ({@link #METRICS}). */
    public double metric(String name) {
      return switch (name) {
        case "e_F" -> cell.eF();
        case "e_op" -> cell.eOp();
        case "e_W" -> cell.eW();
        case "e_f" -> cell.ef();
        default -> throw new IllegalArgumentException(name);
      };
    }
  }

  /** What the job produced. */
  public record Result(Path out, SweepResult result, List<CellResult> cells) {}

  /** The axes of the sweep grid: a cell's key names them, so they are not in its fingerprint. */
  static final List<String> AXES = List.of("models", "widths", "seeds");

  /** Settings that change no cell, only the fits, thresholds and verdicts computed from the cells. */
  static final List<String> AFTER_CELLS = List.of("eps", "tol", "fit_min_width", "practical_width", "npy");

  /** One cell of the grid: which model setup, width and seed. */
  public record Cell(int modelIndex, Model model, int width, long seed) implements CellGrid.Cell {
    @Override
    public String key() {
      return model.key() + "_m" + width + "_seed" + seed;
    }
  }

  private final Config config;

  public WidthSweepJob(Config config) {
    this.config = config;
  }

  /** What a cell receives: the model's inputs and its reference, broadcast once per model. */
  public static final class ModelSetup implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final Model model;
    final Matrix train;
    final Matrix test;
    final SweepMetrics.Reference reference;

    ModelSetup(Model model, Matrix train, Matrix test, SweepMetrics.Reference reference) {
      this.model = model;
      this.train = train;
      this.test = test;
      this.reference = reference;
    }
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    checkOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    long t0 = System.nanoTime();
    StudyData data = Stages.run(jsc, "sweep/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    int n = data.train().n();
    int d = data.d();
    long cellBytes = 8L * 8 * n * n;
    if (cellBytes > config.maxCellBytes()) {
      throw new UserInputException(String.format(
          "a sweep cell holds about 8 dense %dx%d matrices (%.0f MiB), over --max-cell-mb %d: use a smaller --n"
              + " or raise --max-cell-mb (and the executor memory)", n, n, cellBytes / 1048576.0,
          config.maxCellBytes() / 1048576));
    }
    if (data.test().n() == 0) {
      throw new UserInputException("the sweep needs a test set for e_f: --n-test must be positive");
    }
    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = openOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    int block = config.block() > 0 ? Math.min(config.block(), n) : TaskMemory.defaultBlock(spark, n, d);

    Map<String, Thresholds> thresholds = new LinkedHashMap<>();
    List<ModelSetup> setups = new ArrayList<>();
    Map<Model, Matrix> hInfs = new LinkedHashMap<>();
    for (Model model : config.models()) {
      ModelInputs in = ModelInputs.of(jsc, model, data.train().inputs(), data.test().inputs(), block);
      thresholds.put(model.key(), thresholds(jsc, in, block));
      AnalyticReference hInf = AnalyticReference.of(jsc, in, block, "sweep");
      Matrix h = hInf.train();
      Matrix hTest = hInf.test();
      SweepMetrics.Reference ref = Stages.run(jsc, "sweep/reference-" + model.key(),
          "eigendecomposition of H_inf + lambda I and f_H_inf (" + model.key() + ")",
          () -> DriverBlas.allCores(jsc,
              () -> SweepMetrics.Reference.of(h, hTest, data.train().targets(), config.lambda())));
      setups.add(new ModelSetup(model, in.train(), in.test(), ref));
      if (config.npy()) {
        output.writeNpy("H_inf_" + model.key() + ".npy", h);
      }
      hInfs.put(model, h);
    }
    writeHInfEigenvalues(spark, output, hInfs);

    long baseSeed = config.data().seed();
    List<Cell> cells = new ArrayList<>();
    for (int mi = 0; mi < setups.size(); mi++) {
      for (int width : config.widths()) {
        for (int s = 0; s < config.seeds(); s++) {
          cells.add(new Cell(mi, config.models().get(mi), width, baseSeed + s));
        }
      }
    }
    // Widest cells first, so the longest tasks start early.
    cells.sort((a, b) -> Integer.compare(b.width(), a.width()));
    CellGrid grid = grid(jsc, "sweep/cells", output, config.fingerprint().without(AXES).without(AFTER_CELLS))
        .partitions(config.partitions());
    double sigma0 = config.sigma0();
    List<Broadcast<ModelSetup>> bs = new ArrayList<>();
    for (ModelSetup setup : setups) {
      bs.add(grid.broadcast(setup));
    }
    List<CellResult> results = grid.run(cells, cells.size() + " cells (models x widths x seeds)", c -> {
      ModelSetup setup = bs.get(c.modelIndex()).value();
      Matrix w = TwoLayerNetwork.initial(c.width(), setup.train.cols(), sigma0, c.seed(), false).weights();
      long[] dTrain = NtkKernels.packedPattern(setup.train, w);
      long[] dTest = NtkKernels.packedPattern(setup.test, w);
      Matrix theta = NtkKernels.empiricalNtkPacked(setup.train, dTrain, setup.train, dTrain, c.width(), true);
      Matrix thetaTest = NtkKernels.empiricalNtkPacked(setup.test, dTest, setup.train, dTrain, c.width(), false);
      return new CellResult(setup.model, c.width(), c.seed(), SweepMetrics.of(theta, thetaTest, setup.reference));
    });
    grid.release();
    List<CellResult> sorted = new ArrayList<>(results);
    sorted.sort((a, b) -> a.model != b.model ? a.model.compareTo(b.model)
        : a.width != b.width ? Integer.compare(a.width, b.width) : Long.compare(a.seed, b.seed));

    SweepResult result = new SweepResult(
        SweepResult.JOB,
        config.data().dataset(),
        n,
        data.test().n(),
        d,
        config.seeds(),
        config.widths(),
        thresholds,
        perWidth(sorted),
        fits(sorted, false),
        fits(sorted, true),
        config.lambda(),
        config.eps(),
        config.fitMinWidth(),
        Map.of("C2", c2(fits(sorted, false))),
        SweepResult.DEFINITIONS,
        (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, config.toMap(), baseSeed));

    writeTables(spark, output, sorted);
    ResultJson.writeSummary(output, result);
    Path done = output.fingerprint(config.fingerprint()).commit();
    LOG.info("sweep written to {}", done);
    return new Result(done, result, sorted);
  }

  /** The §1 thresholds of the model's Gram matrix (G for relu, X̃X̃ᵀ for attn), via its Gramian. */
  private Thresholds thresholds(JavaSparkContext jsc, ModelInputs in, int block) {
    GramSpectrum.Result spec = GramSpectrum.ofRows(jsc, "sweep/spectrum-" + in.model().key(),
        in.model() == Model.RELU ? "G" : "X~X~^T", GramSpectrum.Route.AUTO, in.train(), block, 0, Long.MAX_VALUE);
    ConditionNumbers.Figures f = ConditionNumbers.of(spec.eigenvalues(), in.train().cols(), config.tol(),
        config.eps(), config.lambda());
    return Thresholds.of(f);
  }

  /** model → width → the seed intervals of the §3 metrics, λmax, λmin and κ. */
  static Map<String, Map<Integer, WidthFigures>> perWidth(List<CellResult> cells) {
    Map<String, Map<Integer, WidthFigures>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Integer, List<CellResult>>> me : group(cells).entrySet()) {
      Map<Integer, WidthFigures> byWidth = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<CellResult>> we : me.getValue().entrySet()) {
        List<CellResult> cs = we.getValue();
        byWidth.put(we.getKey(), new WidthFigures(
            Interval.of(cs.stream().mapToDouble(c -> c.cell.eF()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.eOp()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.eW()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.ef()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.lambdaMax()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.lambdaMin()).toArray()),
            Interval.of(cs.stream().mapToDouble(c -> c.cell.kappa()).toArray())));
      }
      out.put(me.getKey(), byWidth);
    }
    return out;
  }

  /**
   * Per model and metric: OLS of log10(seed aggregate) on log10 m over widths ≥ fit-min-width
   * (SCIENCE §3), the aggregate being the mean or, with {@code rms}, the root mean square over
   * seeds; m̂(ε) = 10^((log10 ε − a)/b).
   */
  Map<String, Map<String, Fit>> fits(List<CellResult> cells, boolean rms) {
    Map<String, Map<String, Fit>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Integer, List<CellResult>>> me : group(cells).entrySet()) {
      Map<String, Fit> byMetric = new LinkedHashMap<>();
      for (String metric : METRICS) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int seeds = Integer.MAX_VALUE;
        for (Map.Entry<Integer, List<CellResult>> we : me.getValue().entrySet()) {
          if (we.getKey() < config.fitMinWidth()) {
            continue;
          }
          double[] v = we.getValue().stream().mapToDouble(c -> c.metric(metric)).filter(Double::isFinite).toArray();
          if (v.length == 0) {
            continue;
          }
          double agg = 0;
          for (double x : v) {
            agg += rms ? x * x : x;
          }
          agg /= v.length;
          agg = rms ? Math.sqrt(agg) : agg;
          if (agg > 0) {
            xs.add(Math.log10(we.getKey()));
            ys.add(Math.log10(agg));
            seeds = Math.min(seeds, v.length);
          }
        }
        int fitSeeds = xs.isEmpty() ? 0 : seeds;
        Fit fit = Fit.none(xs.size(), fitSeeds);
        if (xs.size() >= 2) {
          Statistics.Line line = Statistics.ols(xs.stream().mapToDouble(Double::doubleValue).toArray(),
              ys.stream().mapToDouble(Double::doubleValue).toArray());
          boolean falls = line.slope() < 0;
          fit = new Fit(line.slope(), line.intercept(), line.slopeStdError(),
              falls ? Math.pow(10, line.solveFor(Math.log10(config.eps()))) : null,
              falls ? line.solveFor(Math.log10(config.eps())) : null, xs.size(), fitSeeds);
        }
        byMetric.put(metric, fit);
      }
      out.put(me.getKey(), byMetric);
    }
    return out;
  }

  /**
   * H∞'s eigenvalues per model (descending, {@link SymmetricEigen#values} on the driver) when n is
   * at most {@link #MAX_HINF_EIGEN}: {@code H_inf_eigenvalues.parquet} and {@code .csv} (model,
   * index from 1, eigenvalue), and with --npy {@code H_inf_eigenvalues_<model>.npy}. Overwritten
   * on a resumed run, which recomputes H∞.
   */
  private void writeHInfEigenvalues(SparkSession spark, RunOutput out, Map<Model, Matrix> hInfs) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("index", DataTypes.IntegerType, false)
        .add("eigenvalue", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Model, Matrix> e : hInfs.entrySet()) {
      if (e.getValue().rows() > MAX_HINF_EIGEN) {
        LOG.info("H_inf of {} is {}x{}, over {}: its eigenvalues are not written", e.getKey().key(),
            e.getValue().rows(), e.getValue().rows(), MAX_HINF_EIGEN);
        continue;
      }
      double[] values = SymmetricEigen.values(e.getValue());
      for (int i = 0; i < values.length; i++) {
        rows.add(RowFactory.create(e.getKey().key(), i + 1, values[i]));
      }
      if (config.npy()) {
        out.writeNpy("H_inf_eigenvalues_" + e.getKey().key() + ".npy", values);
      }
    }
    if (!rows.isEmpty()) {
      spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
          .parquet(out.uri("H_inf_eigenvalues.parquet"));
      org.ntkstudy.io.CsvTable.write(out, "H_inf_eigenvalues.csv", schema, rows);
    }
  }

  private static Map<String, Map<Integer, List<CellResult>>> group(List<CellResult> cells) {
    Map<String, Map<Integer, List<CellResult>>> g = new LinkedHashMap<>();
    for (CellResult c : cells) {
      g.computeIfAbsent(c.model.key(), k -> new TreeMap<>()).computeIfAbsent(c.width, k -> new ArrayList<>()).add(c);
    }
    return g;
  }

  private static void writeTables(SparkSession spark, RunOutput out, List<CellResult> cells) {
    StructType sweep = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("seed", DataTypes.LongType, false)
        .add("lambda_max", DataTypes.DoubleType, false)
        .add("lambda_min", DataTypes.DoubleType, false)
        .add("kappa", DataTypes.DoubleType, true)
        .add("e_F", DataTypes.DoubleType, false)
        .add("e_op", DataTypes.DoubleType, false)
        .add("e_W", DataTypes.DoubleType, false)
        // Spark matches column names case-insensitively: e_f would collide with e_F.
        .add("e_f_test", DataTypes.DoubleType, true);
    List<Row> rows = new ArrayList<>();
    for (CellResult c : cells) {
      SweepMetrics.Cell m = c.cell;
      rows.add(RowFactory.create(c.model.key(), c.width, c.seed, m.lambdaMax(), m.lambdaMin(),
          Double.isFinite(m.kappa()) ? m.kappa() : null, m.eF(), m.eOp(), m.eW(),
          Double.isFinite(m.ef()) ? m.ef() : null));
    }
    spark.createDataFrame(rows, sweep).coalesce(1).write().mode("overwrite").parquet(out.uri("sweep.parquet"));
    KillPoints.reach("sweep tables");
    org.ntkstudy.io.CsvTable.write(out, "sweep.csv", sweep, rows);

    StructType spectra = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("index", DataTypes.IntegerType, false)
        .add("mean", DataTypes.DoubleType, false)
        .add("lo", DataTypes.DoubleType, false)
        .add("hi", DataTypes.DoubleType, false)
        .add("seeds", DataTypes.IntegerType, false);
    List<Row> srows = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, List<CellResult>>> me : group(cells).entrySet()) {
      for (Map.Entry<Integer, List<CellResult>> we : me.getValue().entrySet()) {
        List<CellResult> cs = we.getValue();
        int n = cs.get(0).cell.eigenvalues().length;
        for (int i = 0; i < n; i++) {
          int idx = i;
          Statistics.Interval iv = Statistics.interval(cs.stream().mapToDouble(c -> c.cell.eigenvalues()[idx]).toArray());
          srows.add(RowFactory.create(me.getKey(), we.getKey(), i + 1, iv.mean(), iv.lo(), iv.hi(), cs.size()));
        }
      }
    }
    spark.createDataFrame(srows, spectra).coalesce(1).write().mode("overwrite").parquet(out.uri("spectra.parquet"));
    org.ntkstudy.io.CsvTable.write(out, "spectra.csv", spectra, srows);
  }

  /** C2 (SCIENCE §7) per model from the fit of the seed-mean e_W, logged. */
  private Map<String, Verdict> c2(Map<String, Map<String, Fit>> fits) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    double widest = java.util.Collections.max(config.widths());
    for (Model model : config.models()) {
      Map<String, Fit> f = fits.get(model.key());
      Verdict v = VerdictRules.c2(model.key(), f == null ? null : f.get("e_W"), widest, config.practicalWidth());
      LOG.info("C2.{}: {}", model.key(), v.sentence());
      out.put(model.key(), v);
    }
    return out;
  }
}
