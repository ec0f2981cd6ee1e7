package org.ntkstudy.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.data.Task;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.Npy;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.CollapseDiagnostics;
import org.ntkstudy.math.KernelRidge;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.ChanceLevel;
import org.ntkstudy.results.Collapse;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.TrainFigures;
import org.ntkstudy.results.TrainResult;
import org.ntkstudy.spark.AnalyticReference;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.spark.GridJob;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} job (SCIENCE §4): the grid models × widths × σ0 × optimisers × seeds, one
 * network trained per Spark task with single-threaded local BLAS; per cell the curves, the NTK
 * distance to f_{H∞}, the kernel movement and distance, and the alignment at 0 and T; the trained
 * weights written by the task that trained them. Same seed, same numbers, whatever the partitioning.
 */
public final class TrainJob extends GridJob<TrainJob> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /**
   * The job's configuration.
   *
   * @param epochs 0: the profile's
   * @param gdLr gradient descent's step; 0: n/λmax(Θ_0), half the stability limit of MSE GD
   */
  public record Config(DatasetSpec data, String out, boolean overwrite, List<Model> models, List<Integer> widths,
      List<Double> sigma0s, List<Trainer.Optimizer> optimizers, int seeds, TrainingProfile profile, int epochs, double lr,
      double gdLr, int batch, double weightDecay, boolean symmetric, String initWeights, String initSigns,
      double lambda, int block, int partitions) implements java.io.Serializable {

    public Config {
      models = List.copyOf(models);
      widths = List.copyOf(widths);
      sigma0s = List.copyOf(sigma0s);
      optimizers = List.copyOf(optimizers);
      if (models.isEmpty() || widths.isEmpty() || sigma0s.isEmpty() || optimizers.isEmpty()) {
        throw new UserInputException("--models, --widths, --sigma0 and --optimizers each need at least one value");
      }
      if (widths.stream().anyMatch(m -> m <= 0 || (symmetric && m % 2 != 0))) {
        throw new UserInputException("--widths must be positive" + (symmetric ? " and even with --symmetric" : "")
            + ", got " + widths);
      }
      if (sigma0s.stream().anyMatch(s -> !(s > 0))) {
        throw new UserInputException("--sigma0 values must be positive, got " + sigma0s);
      }
      UserInputException.requirePositive("--seeds", seeds);
      UserInputException.requireNonNegative("--epochs", epochs); // 0: the profile's (the command refuses an explicit 0)
      UserInputException.requirePositive("--lr", lr);
      UserInputException.requireNonNegative("--gd-lr", gdLr); // 0: automatic
      UserInputException.requirePositive("--batch", batch);
      UserInputException.requireNonNegative("--weight-decay", weightDecay);
      UserInputException.requirePositive("--lambda", lambda);
      if ((initWeights != null || initSigns != null) && widths.size() != 1) {
        throw new UserInputException("--init-weights/--init-signs fix the width: give exactly one --widths");
      }
    }

    int epochCount() {
      return epochs > 0 ? epochs : profile.epochs();
    }

    /** The same configuration writing to {@code out} (the study job places its parts). */
    public Config withOut(String out, boolean overwrite) {
      return new Config(data, out, overwrite, models, widths, sigma0s, optimizers, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, initWeights, initSigns, lambda, block, partitions);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(data.toMap());
      m.put("out", out);
      m.put("overwrite", overwrite);
      m.put("models", models.stream().map(Model::key).toList());
      m.put("widths", widths);
      m.put("sigma0", sigma0s);
      m.put("optimizers", optimizers.stream().map(o -> o.name().toLowerCase(Locale.ROOT)).toList());
      m.put("seeds", seeds);
      m.putAll(TrainingProfile.recipeMap(profile.key(), epochCount(), lr, gdLr, batch,
          weightDecay, symmetric));
      m.put("init_weights", initWeights);
      m.put("init_signs", initSigns);
      m.put("lambda", lambda);
      m.put("partitions", partitions);
      return m;
    }

    /** The settings that decide the numbers (for {@code --resume}). */
    public Fingerprint fingerprint() {
      return Fingerprint.of(toMap());
    }
  }

  /** One trained cell: its key and what §4 records. */
  public static final class CellResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public final String model;
    public final int width;
    public final double sigma0;
    public final String optimizer;
    public final long seed;
    public final double lr;
    public final List<TrainingRun.Epoch> curve;
    public final double[] figures;

    CellResult(String model, int width, double sigma0, String optimizer, long seed, double lr,
        List<TrainingRun.Epoch> curve, double[] figures) {
      this.model = model;
      this.width = width;
      this.sigma0 = sigma0;
      this.optimizer = optimizer;
      this.seed = seed;
      this.lr = lr;
      this.curve = new ArrayList<>(curve);
      this.figures = figures;
    }
  }

  /** The figures of {@link CellResult#figures}, in order (the first six of {@link TrainFigures#NAMES}). */
  public static final List<String> FIGURES = TrainFigures.NAMES.subList(0, 6);

  /** What the job produced. */
  public record Result(org.apache.hadoop.fs.Path out, TrainResult result, List<CellResult> cells) {}

  /** What a cell needs of its model, broadcast once per model. */
  public static final class ModelSetup implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String model;
    final Matrix train;
    final Matrix test;
    final Matrix yTrain;
    final Matrix yTest;
    final Matrix fNtkTest;

    ModelSetup(String model, Matrix train, Matrix test, Matrix yTrain, Matrix yTest, Matrix fNtkTest) {
      this.model = model;
      this.train = train;
      this.test = test;
      this.yTrain = yTrain;
      this.yTest = yTest;
      this.fNtkTest = fNtkTest;
    }
  }

  private final Config config;

  public TrainJob(Config config) {
    this.config = config;
  }

  /** The axes of the training grid: a cell's key names them, so they are not in its fingerprint. */
  static final List<String> AXES = List.of("models", "widths", "sigma0", "optimizers", "seeds");

  /** One cell of the grid: which model setup, width, σ0, optimiser and seed offset. */
  public record Cell(int modelIndex, String model, int width, double sigma0, Trainer.Optimizer optimizer, int seedOffset,
      long seed) implements CellGrid.Cell {
    @Override
    public String key() {
      return model + "_s" + sigma0 + "_" + optimizer.name().toLowerCase(Locale.ROOT) + "_m" + width + "_seed" + seed;
    }
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    checkOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    long t0 = System.nanoTime();
    StudyData data = Stages.run(jsc, "train/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    if (data.test().n() == 0) {
      throw new UserInputException("training records test loss and the NTK distance on the test set:"
          + " --n-test must be positive");
    }
    int n = data.train().n();
    int d = data.d();
    int outputs = data.task() == Task.BINARY ? 1 : data.k();
    Trainer.Loss loss = data.task() == Task.BINARY ? Trainer.Loss.MSE : Trainer.Loss.CROSS_ENTROPY;
    Matrix w0Given = config.initWeights() == null ? null : KernelJob.loadWeights(config.initWeights(), d, jsc);
    Matrix aGiven = config.initSigns() == null ? null : Npy.read(config.initSigns(), jsc.hadoopConfiguration());
    int givenWidth = w0Given != null ? w0Given.rows() : aGiven != null ? aGiven.rows() : 0;
    if (givenWidth > 0 && givenWidth != config.widths().get(0)) {
      throw new UserInputException("--init-weights/--init-signs have " + givenWidth + " neurons but --widths is "
          + config.widths().get(0));
    }
    if (aGiven != null && (aGiven.cols() != outputs || (w0Given != null && aGiven.rows() != w0Given.rows()))) {
      throw new UserInputException("--init-signs " + config.initSigns() + " is " + aGiven.rows() + "x" + aGiven.cols()
          + ", expected m x " + outputs + " (one column per output)");
    }
    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = openOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    int block = config.block() > 0 ? Math.min(config.block(), n) : TaskMemory.defaultBlock(spark, n, d);

    List<ModelSetup> setups = new ArrayList<>();
    Collapse collapse = null;
    for (Model model : config.models()) {
      ModelInputs in = ModelInputs.of(jsc, model, data.train().inputs(), data.test().inputs(), block);
      AnalyticReference h = AnalyticReference.of(jsc, in, block, "train");
      Matrix fNtk = DriverBlas.allCores(jsc, () -> KernelRidge.predict(h.test(),
          KernelRidge.factor(h.train(), config.lambda()).solve(data.train().targets())));
      setups.add(new ModelSetup(model.key(), in.train(), in.test(), data.train().targets(),
          data.test().targets(), fNtk));
      if (model == Model.ATTN) {
        collapse = Collapse.of(CollapseDiagnostics.of(data.train().inputs(), in.train()));
        if (collapse.warning() != null) {
          LOG.warn("train: {}", collapse.warning());
        }
      }
    }

    long baseSeed = config.data().seed();
    List<Cell> cells = new ArrayList<>();
    for (int mi = 0; mi < setups.size(); mi++) {
      for (int width : config.widths()) {
        for (double s0 : config.sigma0s()) {
          for (Trainer.Optimizer opt : config.optimizers()) {
            for (int s = 0; s < config.seeds(); s++) {
              cells.add(new Cell(mi, config.models().get(mi).key(), width, s0, opt, s, baseSeed + s));
            }
          }
        }
      }
    }
    Config cfg = config;
    int epochs = config.epochCount();
    String weightsRoot = output.rootUri();
    CellGrid grid = grid(jsc, "train/cells", output, config.fingerprint().without(AXES))
        .partitions(config.partitions());
    Broadcast<SerializableConfiguration> hadoop = grid.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    Broadcast<Matrix> w0b = grid.broadcast(w0Given == null ? new Matrix(0, 0) : w0Given);
    Broadcast<Matrix> ab = grid.broadcast(aGiven == null ? new Matrix(0, 0) : aGiven);
    List<Broadcast<ModelSetup>> bs = new ArrayList<>();
    for (ModelSetup setup : setups) {
      bs.add(grid.broadcast(setup));
    }
    List<CellResult> results = grid.run(cells, cells.size() + " networks (models x widths x sigma0 x optimizers x seeds), "
        + epochs + " epochs each", c -> {
          ModelSetup setup = bs.get(c.modelIndex()).value();
          int m = c.width();
          double s0 = c.sigma0();
          Trainer.Optimizer opt = c.optimizer();
          long seed = c.seed();
          int dim = setup.train.cols();
          Matrix w0 = w0b.value().rows() > 0 ? w0b.value()
              : TwoLayerNetwork.initial(m, dim, s0, seed, cfg.symmetric()).weights();
          Matrix a = ab.value().rows() > 0 ? ab.value()
              : TrainingRun.signs(m, setup.yTrain.cols(), s0, dim, seed, cfg.symmetric());
          double lr = cfg.lr();
          if (opt == Trainer.Optimizer.GD) {
            lr = cfg.gdLr() > 0 ? cfg.gdLr()
                : setup.train.rows() / SymmetricEigen.values(TrainingRun.ntk(setup.train, w0))[0];
          }
          TrainingRun.Result r = TrainingRun.train(setup.train, setup.yTrain, setup.test, setup.yTest, w0, a, loss,
              new TrainingRun.Recipe(opt, epochs, lr, cfg.batch(), cfg.weightDecay()), seed, setup.fNtkTest);
          String optName = opt.name().toLowerCase(Locale.ROOT);
          String dir = weightsRoot + "/" + TrainResult.weightsDir(setup.model, s0, optName, m, seed);
          writeNpy(dir + "/W.npy", r.weights(), hadoop.value());
          writeNpy(dir + "/a.npy", r.signs(), hadoop.value());
          return new CellResult(setup.model, m, s0, optName, seed, lr, r.curve(), new double[] {
              r.ntkDistance(), r.ntkDistanceRelative(), r.kernelMovement(), r.kernelDistance(), r.alignment0(),
              r.alignmentT()});
        });
    grid.release();
    List<CellResult> sorted = new ArrayList<>(results);
    sorted.sort((x, y) -> x.model.compareTo(y.model) != 0 ? x.model.compareTo(y.model)
        : x.width != y.width ? Integer.compare(x.width, y.width)
        : x.sigma0 != y.sigma0 ? Double.compare(x.sigma0, y.sigma0)
        : !x.optimizer.equals(y.optimizer) ? x.optimizer.compareTo(y.optimizer) : Long.compare(x.seed, y.seed));

    ChanceLevel chance = ChanceLevel.of(data.test().classIndex(), data.k());
    writeTables(spark, output, sorted, chance);
    Map<String, Map<Integer, Map<Double, Map<String, TrainFigures>>>> groups = groups(sorted);
    Map<String, Map<Integer, Map<Double, Map<String, Boolean>>>> atChance = atChance(groups, chance);
    TrainResult result = new TrainResult(
        TrainResult.JOB,
        config.data().dataset(),
        data.task().name().toLowerCase(Locale.ROOT),
        loss.name().toLowerCase(Locale.ROOT),
        n,
        data.test().n(),
        epochs,
        sorted.size(),
        groups,
        chance,
        atChance,
        collapse,
        (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, config.toMap(), baseSeed));
    ResultJson.writeSummary(output, result);
    org.apache.hadoop.fs.Path done = output.fingerprint(config.fingerprint()).commit();
    LOG.info("train written to {}", done);
    return new Result(done, result, sorted);
  }

  /**
   * model → width → σ0 → optimiser → whether the group's seed-mean test accuracy is at chance
   * (SCIENCE §6), each at-chance group named in the log.
   */
  static Map<String, Map<Integer, Map<Double, Map<String, Boolean>>>> atChance(
      Map<String, Map<Integer, Map<Double, Map<String, TrainFigures>>>> groups, ChanceLevel chance) {
    Map<String, Map<Integer, Map<Double, Map<String, Boolean>>>> out = new LinkedHashMap<>();
    groups.forEach((model, byWidth) -> byWidth.forEach((width, bySigma) -> bySigma.forEach((s0, byOpt) ->
        byOpt.forEach((opt, f) -> {
          Double acc = f.testAccuracy().mean();
          boolean at = acc != null && chance.atChance(acc);
          if (at) {
            LOG.warn("train: {} at width {}, sigma0 {}, {} is at chance: test accuracy {} against chance {} (SCIENCE §6)",
                model, width, s0, opt, String.format(Locale.ROOT, "%.3f", acc),
                String.format(Locale.ROOT, "%.3f", chance.chance()));
          }
          out.computeIfAbsent(model, k -> new LinkedHashMap<>()).computeIfAbsent(width, k -> new LinkedHashMap<>())
              .computeIfAbsent(s0, k -> new LinkedHashMap<>()).put(opt, at);
        }))));
    return out;
  }

  private static void writeNpy(String uri, Matrix m, SerializableConfiguration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = p.getFileSystem(conf.value());
    try (OutputStream o = fs.create(p, true)) {
      Npy.write(o, m);
    }
  }

  /** model → width → σ0 → optimiser → the seed intervals of the §4 figures and the final losses and accuracies. */
  static Map<String, Map<Integer, Map<Double, Map<String, TrainFigures>>>> groups(List<CellResult> cells) {
    Map<String, Map<Integer, Map<Double, Map<String, List<CellResult>>>>> g = new LinkedHashMap<>();
    for (CellResult c : cells) {
      g.computeIfAbsent(c.model, k -> new TreeMap<>()).computeIfAbsent(c.width, k -> new TreeMap<>())
          .computeIfAbsent(c.sigma0, k -> new TreeMap<>()).computeIfAbsent(c.optimizer, k -> new ArrayList<>()).add(c);
    }
    Map<String, Map<Integer, Map<Double, Map<String, TrainFigures>>>> out = new LinkedHashMap<>();
    g.forEach((model, byW) -> {
      Map<Integer, Map<Double, Map<String, TrainFigures>>> mw = new LinkedHashMap<>();
      byW.forEach((w, byS) -> {
        Map<Double, Map<String, TrainFigures>> ms = new LinkedHashMap<>();
        byS.forEach((s0, byO) -> {
          Map<String, TrainFigures> mo = new LinkedHashMap<>();
          byO.forEach((opt, cs) -> mo.put(opt, new TrainFigures(
              figure(cs, 0), figure(cs, 1), figure(cs, 2), figure(cs, 3), figure(cs, 4), figure(cs, 5),
              Interval.of(cs.stream().mapToDouble(c -> last(c).trainLoss()).toArray()),
              Interval.of(cs.stream().mapToDouble(c -> last(c).trainAccuracy()).toArray()),
              Interval.of(cs.stream().mapToDouble(c -> last(c).testLoss()).toArray()),
              Interval.of(cs.stream().mapToDouble(c -> last(c).testAccuracy()).toArray()))));
          ms.put(s0, mo);
        });
        mw.put(w, ms);
      });
      out.put(model, mw);
    });
    return out;
  }

  /** The seed interval of {@link CellResult#figures}[{@code k}] ({@link #FIGURES}). */
  private static Interval figure(List<CellResult> cells, int k) {
    return Interval.of(cells.stream().mapToDouble(c -> c.figures[k]).toArray());
  }

  private static TrainingRun.Epoch last(CellResult c) {
    return c.curve.get(c.curve.size() - 1);
  }

  private static void writeTables(SparkSession spark, RunOutput out, List<CellResult> cells, ChanceLevel chance) {
    StructType cell = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("sigma0", DataTypes.DoubleType, false)
        .add("optimizer", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("lr", DataTypes.DoubleType, false)
        .add("epochs", DataTypes.IntegerType, false)
        .add("train_loss", DataTypes.DoubleType, false)
        .add("train_accuracy", DataTypes.DoubleType, false)
        .add("test_loss", DataTypes.DoubleType, false)
        .add("test_accuracy", DataTypes.DoubleType, false);
    for (String f : FIGURES) {
      cell = cell.add(f, DataTypes.DoubleType, true);
    }
    cell = cell.add("at_chance", DataTypes.BooleanType, false);
    StructType curve = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("sigma0", DataTypes.DoubleType, false)
        .add("optimizer", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("epoch", DataTypes.IntegerType, false)
        .add("train_loss", DataTypes.DoubleType, false)
        .add("train_accuracy", DataTypes.DoubleType, false)
        .add("test_loss", DataTypes.DoubleType, false)
        .add("test_accuracy", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    List<Row> curveRows = new ArrayList<>();
    for (CellResult c : cells) {
      TrainingRun.Epoch e = last(c);
      Object[] v = new Object[12 + FIGURES.size()];
      Object[] head = {c.model, c.width, c.sigma0, c.optimizer, c.seed, c.lr, e.epoch(), e.trainLoss(),
          e.trainAccuracy(), e.testLoss(), e.testAccuracy()};
      System.arraycopy(head, 0, v, 0, head.length);
      for (int k = 0; k < FIGURES.size(); k++) {
        v[11 + k] = Double.isFinite(c.figures[k]) ? c.figures[k] : null;
      }
      v[11 + FIGURES.size()] = chance.atChance(e.testAccuracy()); // this network alone (SCIENCE §6)
      rows.add(RowFactory.create(v));
      for (TrainingRun.Epoch ep : c.curve) {
        curveRows.add(RowFactory.create(c.model, c.width, c.sigma0, c.optimizer, c.seed, ep.epoch(), ep.trainLoss(),
            ep.trainAccuracy(), ep.testLoss(), ep.testAccuracy()));
      }
    }
    spark.createDataFrame(rows, cell).coalesce(1).write().mode("overwrite").parquet(out.uri("train.parquet"));
    KillPoints.reach("train tables");
    spark.createDataFrame(curveRows, curve).coalesce(1).write().mode("overwrite").parquet(out.uri("curves.parquet"));
    org.ntkstudy.io.CsvTable.write(out, "train.csv", cell, rows);
    org.ntkstudy.io.CsvTable.write(out, "curves.csv", curve, curveRows);
  }
}
