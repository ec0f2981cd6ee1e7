package org.ntkstudy.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.data.Task;
import org.ntkstudy.io.Npy;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.KernelRidge;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TransductiveLoo;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockKernel;
import org.ntkstudy.spark.BlockStore;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.NtkBlockKernels;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TiledCholesky;
import org.ntkstudy.spark.TiledInfluence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code influence} job (SCIENCE §5–§6): per model and seed a trained network (read from
 * {@code --train-dir} or trained here), the closed-form leave-one-out influence of every training
 * example on every test point with K = Θ_T or H∞ — one factorisation on the driver while K + λI and
 * its inverse fit {@code --max-driver-mb}, else a tiled one across the executors
 * ({@link TiledInfluence}); the n columns on the executors — then the malleability cells (model ×
 * seed × attack × intervention, one Spark task each, or past the budget one after the other with
 * every step in tiles, with their random-sign control), the noise floor between seeds, the attn/relu ratio
 * with a bootstrap interval, the exact transductive LOO of attn and the network-retraining LOO
 * (small n), and the dual-implication table.
 */
public final class InfluenceJob {
  private static final Logger LOG = LoggerFactory.getLogger(InfluenceJob.class);

  /** Which kernel K the influence uses. */
  public enum KernelKind {
    /** Θ_T of the trained network (the paper's choice). */
    EMPIRICAL,
    /** H∞ on the model's inputs. */
    ANALYTIC
  }

  /** auto | on | off for the optional analyses. */
  public enum Switch {
    AUTO,
    ON,
    OFF
  }

  /** Largest n for which {@code auto} runs the retraining LOO (SCIENCE §5: n ≤ about 100). */
  public static final int RETRAIN_LOO_AUTO_MAX = 100;
  /** Largest n for which {@code auto} runs the transductive LOO. */
  public static final int TRANSDUCTIVE_AUTO_MAX = 2000;

  /**
   * The job's configuration.
   *
   * @param attacks the attacks; {@code curated} rows carry the attack {@code none}
   * @param trainDir a {@code train} job's output folder to read the networks from, or null to
   *     train them here with the training options
   */
  public record Config(DatasetSpec data, String out, boolean overwrite, boolean npy, long maxDriverBytes,
      List<Model> models, List<Attacks.Kind> attacks, List<String> interventions, double lambda, KernelKind kernel,
      Influence.Target target, String trainDir, int width, double sigma0, Trainer.Optimizer optimizer, int seeds,
      TrainJob.Profile profile, int epochs, double lr, double gdLr, int batch, double weightDecay, boolean symmetric,
      double eps, double tau, boolean frozenContext, boolean retrain, Switch retrainLoo, Switch transductive,
      int bootstrap, int block) implements java.io.Serializable {

    public Config {
      models = List.copyOf(models);
      attacks = List.copyOf(attacks);
      interventions = List.copyOf(interventions);
      if (models.isEmpty()) {
        throw new UserInputException("--models needs at least one of relu,attn");
      }
      for (String iv : interventions) {
        try {
          InfluenceWork.Intervention.valueOf(iv.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new UserInputException("--interventions: '" + iv + "' is not one of transformed,curated,adversarial");
        }
      }
      boolean attacking = interventions.stream().anyMatch(i -> !i.equals("curated"));
      if (attacking && attacks.isEmpty()) {
        throw new UserInputException("--attacks needs at least one of fgsm,pgd,mim for the interventions " + interventions);
      }
      if (!(lambda > 0)) {
        throw new UserInputException("--lambda must be positive, got " + lambda);
      }
      if (!(eps > 0 && eps <= 1)) {
        throw new UserInputException("--eps must be in (0, 1] (pixels are in [0, 1]), got " + eps);
      }
      if (!(tau > 0 && tau < 0.5)) {
        throw new UserInputException("--tau must be in (0, 0.5) (curating needs the next k after the top k), got " + tau);
      }
      if (width <= 0 || (symmetric && width % 2 != 0)) {
        throw new UserInputException("--width must be positive" + (symmetric ? " and even with --symmetric" : "")
            + ", got " + width);
      }
      if (!(sigma0 > 0) || seeds <= 0 || epochs < 0 || !(lr > 0) || gdLr < 0 || batch <= 0 || weightDecay < 0
          || bootstrap < 100) {
        throw new UserInputException("--sigma0, --seeds, --lr and --batch must be positive, --epochs, --gd-lr and"
            + " --weight-decay non-negative, --bootstrap at least 100");
      }
      if (retrain && trainDir != null) {
        throw new UserInputException("--retrain retrains from the initialisation, which --train-dir does not hold:"
            + " drop --train-dir to train the networks here");
      }
    }

    int epochCount() {
      return epochs > 0 ? epochs : profile.epochs;
    }

    /** The same configuration writing to {@code out} (the study job places its parts). */
    public Config withOut(String out, boolean overwrite) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, eps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /** The same configuration reading its networks from {@code trainDir}. */
    public Config withTrainDir(String trainDir) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, eps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(JobOptions.datasetMap(data));
      m.put("out", out);
      m.put("models", models.stream().map(Model::key).toList());
      m.put("attacks", attacks.stream().map(Attacks.Kind::key).toList());
      m.put("interventions", interventions);
      m.put("lambda", lambda);
      m.put("kernel", kernel.name().toLowerCase(Locale.ROOT));
      m.put("influence_target", target.key());
      m.put("train_dir", trainDir);
      m.put("width", width);
      m.put("sigma0", sigma0);
      m.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
      m.put("seeds", seeds);
      m.putAll(JobOptions.recipeMap(profile.name().toLowerCase(Locale.ROOT), epochCount(), lr, gdLr, batch,
          weightDecay, symmetric));
      m.put("eps", eps);
      m.put("tau", tau);
      m.put("frozen_context", frozenContext);
      m.put("retrain", retrain);
      m.put("retrain_loo", retrainLoo.name().toLowerCase(Locale.ROOT));
      m.put("transductive", transductive.name().toLowerCase(Locale.ROOT));
      m.put("bootstrap", bootstrap);
      return m;
    }

    /**
     * The settings that decide the numbers (for {@code --resume}); networks read from a finished
     * {@code train} output stand for that output's own fingerprint, not for its folder name.
     */
    public Fingerprint fingerprint(org.apache.hadoop.conf.Configuration conf) {
      Fingerprint fp = Fingerprint.of(toMap());
      if (trainDir == null) {
        return fp;
      }
      Fingerprint networks = RunOutput.finishedFingerprint(trainDir, conf);
      return networks == null ? fp : fp.with("train_dir", networks);
    }
  }

  /** What the job produced. */
  public record Result(Path out, Map<String, Object> summary) {}

  /** The figures of malleability.parquet, in column order. */
  public static final List<String> METRICS =
      List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor");

  private final Config config;
  private RunOutput examplesOut;
  private boolean resume;
  private int failAfterCells;
  private int[] sourceIndex;
  private int[] labels;

  public InfluenceJob(Config config) {
    this.config = config;
  }

  /**
   * Resume an unfinished run of the same {@code --out}: finished malleability cells are read back;
   * everything else (networks, clean influences: deterministic) is recomputed (the study's
   * {@code --resume}).
   */
  public InfluenceJob resume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** The tiled path's tile size, or 0 when K + λI is factorised on the driver ({@link #chooseFactorisation}). */
  private int tile;

  /** Test only: fail the job once this many cells have finished (0: never). Local mode. */
  public InfluenceJob failAfterCells(int cells) {
    this.failAfterCells = cells;
    return this;
  }

  /** One (model, seed): its network, clean influences and target spec. */
  private static final class Clean {
    final int modelIndex;
    final InfluenceWork.Net net;
    final Influence.TargetSpec spec;
    double[] totals;
    double testAccuracy;
    double testLoss;
    double trainAccuracy;
    double alignment;

    Clean(int modelIndex, InfluenceWork.Net net, Influence.TargetSpec spec) {
      this.modelIndex = modelIndex;
      this.net = net;
      this.spec = spec;
    }
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (!resume) {
      RunOutput.check(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    }
    long t0 = System.nanoTime();
    StudyData data = Stages.run(jsc, "influence/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    if (data.test().n() == 0) {
      throw new UserInputException("influence is measured on the test set: --n-test must be positive");
    }
    int n = data.train().n();
    int nt = data.test().n();
    int d = data.d();
    int k = Malleability.topCount(config.tau(), n);
    if (2 * k > n && config.interventions().contains("curated")) {
      throw new UserInputException("curating removes the top k = " + k + " and measures the next k: n = " + n
          + " is too small for --tau " + config.tau());
    }
    Trainer.Loss loss = data.task() == Task.BINARY ? Trainer.Loss.MSE : Trainer.Loss.CROSS_ENTROPY;
    int block = config.block() > 0 ? Math.min(config.block(), n) : JobOptions.defaultBlock(spark, n, d);
    chooseFactorisation(spark, n, nt);
    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = resume ? RunOutput.resume(config.out(), jsc.hadoopConfiguration())
        : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    if (resume) {
      output.retainOnly(CellFiles.DIR); // tables of the interrupted run are rewritten whole
    }

    // Per model: inputs and the broadcast setup of its cells.
    List<ModelInputs> inputs = new ArrayList<>();
    List<Broadcast<InfluenceWork.Setup>> setups = new ArrayList<>();
    for (Model model : config.models()) {
      ModelInputs in = ModelInputs.of(jsc, model, data.train().inputs(), data.test().inputs(), block);
      inputs.add(in);
      setups.add(jsc.broadcast(new InfluenceWork.Setup(model, data.train().pixels(), data.test().pixels(),
          data.train().inputs(), data.test().inputs(), in.covariance(), data.train().targets(), data.test().targets(),
          loss, config.lambda(), config.kernel() == KernelKind.EMPIRICAL, config.frozenContext())));
    }

    // Networks.
    List<InfluenceWork.Net[]> nets = networks(jsc, inputs, data, loss);

    // Clean influences, distributed over column blocks of training examples.
    List<Clean> cleans = new ArrayList<>();
    List<Row> influenceRows = new ArrayList<>();
    StructType influenceSchema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("train_index", DataTypes.IntegerType, false)
        .add("source_index", DataTypes.IntegerType, false)
        .add("label", DataTypes.IntegerType, false)
        .add("test_index", DataTypes.IntegerType, false)
        .add("influence", DataTypes.DoubleType, false);
    String influenceUri = output.uri("influence.parquet");
    boolean first = true;
    for (int mi = 0; mi < config.models().size(); mi++) {
      for (InfluenceWork.Net net : nets.get(mi)) {
        Clean c = cleanInfluence(spark, jsc, mi, inputs.get(mi), net, data, block, influenceSchema, influenceUri,
            first ? output : null);
        first = false;
        cleans.add(c);
      }
    }

    // Malleability cells.
    examplesOut = output;
    sourceIndex = data.train().sourceIndex();
    labels = data.train().labels();
    List<Object[]> mallRows = malleability(jsc, setups, cleans, k);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("job", "influence");
    summary.put("dataset", config.data().dataset());
    summary.put("task", data.task().name().toLowerCase(Locale.ROOT));
    summary.put("n", n);
    summary.put("n_test", nt);
    summary.put("lambda", config.lambda());
    summary.put("kernel", config.kernel().name().toLowerCase(Locale.ROOT));
    summary.put("influence_target", config.target().key());
    summary.put("k", k);
    summary.put("tau", config.tau());
    summary.put("eps", config.eps());
    summary.put("factorisation", tile > 0
        ? "tiled Cholesky + triangular inverse across the executors (" + tile + " x " + tile + " tiles)"
        : "Cholesky (LAPACK dpotrf + dpotri) on the driver");
    summary.put("malleability", malleabilitySummary(mallRows));
    summary.put("ratio", ratioSummary(mallRows));
    summary.put("paper_flip_rates", paperFlipRates());
    writeMalleability(spark, output, mallRows);

    // Transductive LOO (attn) and retraining LOO.
    Map<String, Object> trans = transductive(spark, jsc, setups, cleans, output);
    if (trans != null) {
      summary.put("transductive", trans);
    }
    Map<String, Object> retrainLoo = retrainLoo(spark, jsc, setups, cleans, output, loss);
    if (retrainLoo != null) {
      summary.put("retrain_loo", retrainLoo);
    }

    // Dual implication (SCIENCE §6).
    summary.put("dual", dual(jsc, inputs, cleans, data, mallRows, output));
    summary.put("total_s", (System.nanoTime() - t0) / 1e9);
    summary.put("provenance", Provenance.of(spark, config.toMap(), config.data().seed()));
    output.writeJson("summary.json", summary);
    for (Broadcast<InfluenceWork.Setup> b : setups) {
      b.unpersist(false);
    }
    output.delete(CellFiles.DIR); // bookkeeping for resumed runs, not a result
    Path done = output.fingerprint(config.fingerprint(jsc.hadoopConfiguration())).commit();
    LOG.info("influence written to {}", done);
    return new Result(done, summary);
  }

  /**
   * The driver's LAPACK while K + λI and its inverse fit {@code --max-driver-mb}; past it the tiled
   * Cholesky and inverse across the executors ({@link TiledInfluence}), whose driver share is K*,
   * P = K* Mᵀ and one strip of tiles. Sets {@link #tile} (0: driver). The log says which and why.
   */
  private void chooseFactorisation(SparkSession spark, int n, int nt) {
    long budget = config.maxDriverBytes();
    long driverBytes = 8L * n * n * 2 + 8L * n * nt * 2;
    if (driverBytes <= budget) {
      tile = 0;
      LOG.info("influence: Cholesky + inverse of K + lambda I (n = {}) on the driver with LAPACK: {} MiB, within the"
          + " driver budget of {} MiB (--max-driver-mb)", n, driverBytes >> 20, budget >> 20);
      return;
    }
    // A task holds about four T×n strips (its own, the inverse's accumulators, the broadcast one
    // and its output): by default the largest tile up to 1024 that fits half a task's memory.
    long taskShare = JobOptions.taskShare(spark);
    int byMemory = (int) Math.min(Integer.MAX_VALUE, taskShare / 2 / (4L * 8 * n));
    int t = config.block() > 0 ? Math.min(config.block(), n)
        : Math.min(n, Math.max(TILE_MIN, Math.min(TILE_DEFAULT, byMemory)));
    if (4L * 8 * t * n > taskShare) {
      LOG.warn("tiled factorisation: a task holds about {} MiB ({}-row tiles, n = {}), more than its {} MiB share"
          + " of executor memory; give the executors more memory or fewer cores, or a smaller --block",
          (4L * 8 * t * n) >> 20, t, n, taskShare >> 20);
    }
    // The driver's peak: K*, K*ᵀ and its broadcast, P = K* Mᵀ (and the influence matrix for --npy);
    // two strips (the broadcast one and the incoming one), each also as serialised bytes.
    long tiledBytes = 8L * n * nt * (config.npy() ? 5 : 4) + 8L * 4 * t * n;
    if (tiledBytes > budget) {
      throw new UserInputException(String.format(Locale.ROOT,
          "the influence needs about %d MiB on the driver even with the tiled factorisation (n = %d, n_test = %d:"
              + " the test x train kernel, its transpose, K* M^T%s and two %d-row strips with their bytes), over"
              + " --max-driver-mb %d;"
              + " lower --n-test, --block or raise --max-driver-mb",
          tiledBytes >> 20, n, nt, config.npy() ? ", the influence matrix for --npy" : "", t, budget >> 20));
    }
    for (String[] opt : new String[][] {{"transductive", config.transductive().name()},
        {"retrain-loo", config.retrainLoo().name()}}) {
      if (opt[1].equals("ON")) {
        throw new UserInputException("--" + opt[0] + " on needs the n x n kernel in one task, but K + lambda I (n = "
            + n + ", " + (driverBytes >> 20) + " MiB with its inverse) exceeds --max-driver-mb " + (budget >> 20)
            + "; use --" + opt[0] + " auto/off or a smaller --n");
      }
    }
    if (config.retrain()) {
      throw new UserInputException("--retrain retrains a network per malleability cell in one task; with n = " + n
          + " past --max-driver-mb " + (budget >> 20) + " drop --retrain or raise --max-driver-mb");
    }
    if (config.trainDir() == null && config.optimizer() == Trainer.Optimizer.GD && config.gdLr() <= 0) {
      throw new UserInputException("--optimizer gd without --gd-lr takes its step from lambda_max of the n x n"
          + " Theta_0 in one task; with n = " + n + " past --max-driver-mb " + (budget >> 20) + " give --gd-lr, or"
          + " train with `train` and pass --train-dir");
    }
    tile = t;
    int strips = (n + t - 1) / t;
    LOG.info("influence: K + lambda I (n = {}) and its inverse need {} MiB, over the driver budget of {} MiB"
        + " (--max-driver-mb): tiled Cholesky and triangular inverse across the executors, {} x {} tiles in {} row"
        + " strips ({} Spark jobs per factorisation); the driver holds about {} MiB", n, driverBytes >> 20,
        budget >> 20, t, t, strips, 2 * strips, tiledBytes >> 20);
  }

  /** The tile size the tiled path uses by default (GEMMs of this size run near peak)... */
  static final int TILE_DEFAULT = 1024;
  /** ...and the smallest it picks when executor memory is short (below it the steps dominate). */
  static final int TILE_MIN = 256;

  // ---------------------------------------------------------------- networks

  private List<InfluenceWork.Net[]> networks(JavaSparkContext jsc, List<ModelInputs> inputs, StudyData data,
      Trainer.Loss loss) {
    int d = data.d();
    int outputs = data.train().targets().cols();
    long base = config.data().seed();
    String opt = config.optimizer().name().toLowerCase(Locale.ROOT);
    List<InfluenceWork.Net[]> out = new ArrayList<>();
    if (config.trainDir() != null) {
      for (Model model : config.models()) {
        InfluenceWork.Net[] nets = new InfluenceWork.Net[config.seeds()];
        for (int s = 0; s < config.seeds(); s++) {
          long seed = base + s;
          String dir = config.trainDir().replaceAll("/+$", "") + "/"
              + TrainJob.weightsDir(model.key(), config.sigma0(), opt, config.width(), seed);
          Matrix w;
          Matrix a;
          try {
            w = Npy.read(dir + "/W.npy", jsc.hadoopConfiguration());
            a = Npy.read(dir + "/a.npy", jsc.hadoopConfiguration());
          } catch (RuntimeException e) {
            throw new UserInputException("--train-dir: no trained network at " + dir + " (" + e.getMessage()
                + "); run `train` with --models " + model.key() + " --widths " + config.width() + " --sigma0 "
                + config.sigma0() + " --optimizers " + opt + " --seeds " + config.seeds() + " and the same dataset"
                + " options, or drop --train-dir to train here");
          }
          if (w.cols() != d || w.rows() != config.width() || a.rows() != w.rows() || a.cols() != outputs) {
            throw new UserInputException("--train-dir: " + dir + " holds W " + w.rows() + "x" + w.cols() + " and a "
                + a.rows() + "x" + a.cols() + ", expected " + config.width() + "x" + d + " and " + config.width() + "x"
                + outputs + " for this dataset");
          }
          nets[s] = new InfluenceWork.Net(seed, w, a);
        }
        out.add(nets);
      }
      LOG.info("networks read from {}", config.trainDir());
      return out;
    }
    List<int[]> cells = new ArrayList<>();
    for (int mi = 0; mi < config.models().size(); mi++) {
      for (int s = 0; s < config.seeds(); s++) {
        cells.add(new int[] {mi, s});
      }
    }
    List<Broadcast<Matrix[]>> xs = new ArrayList<>();
    for (ModelInputs in : inputs) {
      xs.add(jsc.broadcast(new Matrix[] {in.train(), data.train().targets()}));
    }
    Config cfg = config;
    int epochs = config.epochCount();
    List<InfluenceWork.Net> trained = Stages.run(jsc, "influence/networks", cells.size() + " networks (models x seeds), "
        + epochs + " epochs each", () -> jsc.parallelize(cells, cells.size()).map(c -> {
          Matrix[] xy = xs.get(c[0]).value();
          long seed = base + c[1];
          Matrix w0 = TwoLayerNetwork.initial(cfg.width(), d, cfg.sigma0(), seed, cfg.symmetric()).weights();
          Matrix a = TrainingRun.signs(cfg.width(), outputs, cfg.sigma0(), d, seed, cfg.symmetric());
          TrainingRun.Recipe recipe = recipe(cfg, cfg.optimizer(), xy[0], w0, cfg.weightDecay());
          return new InfluenceWork.Net(seed, InfluenceWork.train(xy[0], xy[1], w0, a, loss, recipe, seed), a);
        }).collect());
    for (int mi = 0; mi < config.models().size(); mi++) {
      out.add(trained.subList(mi * config.seeds(), (mi + 1) * config.seeds()).toArray(new InfluenceWork.Net[0]));
    }
    xs.forEach(b -> b.unpersist(false));
    return out;
  }

  /** The recipe of §4 for {@code optimizer}; gradient descent's step n/λmax(Θ_0) unless --gd-lr. */
  static TrainingRun.Recipe recipe(Config cfg, Trainer.Optimizer optimizer, Matrix x, Matrix w0, double weightDecay) {
    double lr = cfg.lr();
    if (optimizer == Trainer.Optimizer.GD) {
      lr = cfg.gdLr() > 0 ? cfg.gdLr() : x.rows() / SymmetricEigen.values(TrainingRun.ntk(x, w0))[0];
    }
    return new TrainingRun.Recipe(optimizer, cfg.epochCount(), lr, cfg.batch(), weightDecay);
  }

  // ---------------------------------------------------------------- clean influence

  private Clean cleanInfluence(SparkSession spark, JavaSparkContext jsc, int mi, ModelInputs in,
      InfluenceWork.Net net, StudyData data, int block, StructType schema, String uri, RunOutput npyOut) {
    String model = in.model().key();
    String tag = model + "/seed=" + net.seed();
    Clean clean;
    Columns cols;
    double alignmentT;
    Matrix kc;
    if (tile > 0) {
      // Past the driver budget: K in tiles on the executors, factorised and inverted there.
      boolean empirical = config.kernel() == KernelKind.EMPIRICAL;
      Tiled t = tiled(jsc, in.train(), in.test(), data.train().targets(), empirical ? net.w() : null, tag,
          empirical);
      alignmentT = config.kernel() == KernelKind.EMPIRICAL ? t.alignment : Stages.run(jsc, "influence/alignment",
          "Theta_T (" + tag + ") alignment, in tiles", () -> tiledAlignment(jsc, in.train(), net.w(),
              data.train().targets()));
      kc = t.kCross;
      Influence.TargetSpec spec = Influence.TargetSpec.of(config.target(), data.test().targets(),
          t.influence.predict(kc));
      clean = new Clean(mi, net, spec);
      cols = Columns.tiled(t.influence, spec);
    } else {
      BlockedRows train = BlockedRows.broadcast(jsc, in.train(), block);
      BlockedRows test = BlockedRows.broadcast(jsc, in.test(), Math.min(block, in.test().rows()));
      Broadcast<Matrix> wb = jsc.broadcast(net.w());
      Matrix k;
      try {
        var kernel = config.kernel() == KernelKind.EMPIRICAL ? NtkBlockKernels.empirical(wb)
            : NtkBlockKernels.analytic();
        String name = config.kernel() == KernelKind.EMPIRICAL ? "Theta_T" : "H_inf";
        k = Stages.run(jsc, "influence/kernel", name + " (" + tag + ") train x train, " + train.grid().numPairs()
            + " blocks", () -> BlockStore.collectSymmetric(train.symmetricBlocks(kernel, 0), train.grid(),
                config.maxDriverBytes()));
        kc = Stages.run(jsc, "influence/kernel-test", name + " (" + tag + ") test x train",
            () -> BlockStore.assembleRectangular(test.crossBlocks(train, kernel, 0).collect(), test.grid(),
                train.grid()));
      } finally {
        train.release();
        test.release();
        wb.unpersist(false);
      }
      // Θ_T's alignment before K's array becomes B (factorised in place: no second n×n copy).
      alignmentT = config.kernel() == KernelKind.EMPIRICAL ? TrainingRun.alignment(k, data.train().targets())
          : TrainingRun.alignment(TrainingRun.ntk(in.train(), net.w()), data.train().targets());
      int n = k.rows();
      Influence inf;
      try {
        inf = Stages.run(jsc, "influence/factor", "Cholesky + inverse of K + lambda I (" + tag + ", n = " + n
            + ") on the driver", () -> DriverBlas.allCores(jsc, () -> Influence.ofInPlace(k,
                data.train().targets(), config.lambda())));
      } catch (ArithmeticException e) {
        throw new UserInputException(tag + ": " + e.getMessage(), e);
      }
      Influence.TargetSpec spec = Influence.TargetSpec.of(config.target(), data.test().targets(), inf.predict(kc));
      clean = new Clean(mi, net, spec);
      // The n columns on the executors: blocks of training examples, B's rows for them broadcast with K*.
      cols = Columns.of(jsc, inf, kc, spec, block);
    }
    int n = data.train().n();
    JavaRDD<Object[]> blocks = cols.blocks();
    try {
      clean.totals = Stages.run(jsc, "influence/columns", "influence columns (" + tag + "): " + n
          + " training examples in " + cols.tasks() + " tasks", cols::totals);
      int[] trainSource = data.train().sourceIndex();
      int[] testSource = data.test().sourceIndex();
      int[] labels = data.train().labels();
      long seed = net.seed();
      Broadcast<int[][]> idx = jsc.broadcast(new int[][] {trainSource, labels, testSource});
      Stages.run(jsc, "influence/write", "influence.parquet rows (" + tag + ")", () -> {
        JavaRDD<Row> rows = blocks.flatMap(o -> {
          int from = (Integer) o[0];
          Matrix m = (Matrix) o[1];
          int[][] ix = idx.value();
          List<Row> out = new ArrayList<>(m.rows() * m.cols());
          for (int j = 0; j < m.cols(); j++) {
            for (int t = 0; t < m.rows(); t++) {
              out.add(RowFactory.create(model, seed, from + j, ix[0][from + j], ix[1][from + j], t, m.get(t, j)));
            }
          }
          return out.iterator();
        });
        spark.createDataFrame(rows, schema).write().mode("append").parquet(uri);
      });
      idx.unpersist(false);
      if (npyOut != null && config.npy()) {
        Matrix full = new Matrix(kc.rows(), n);
        for (Object[] b : blocks.collect()) {
          int from = (Integer) b[0];
          Matrix m = (Matrix) b[1];
          for (int t = 0; t < m.rows(); t++) {
            System.arraycopy(m.data(), t * m.cols(), full.data(), t * n + from, m.cols());
          }
        }
        npyOut.writeNpy("influence.npy", full);
      }
    } finally {
      cols.release();
    }

    // Network figures for the dual-implication table.
    Matrix f = Trainer.outputs(in.train(), net.w(), net.a());
    Matrix ft = Trainer.outputs(in.test(), net.w(), net.a());
    clean.trainAccuracy = TrainingRun.accuracy(f, data.train().targets());
    clean.testAccuracy = TrainingRun.accuracy(ft, data.test().targets());
    clean.testLoss = Trainer.loss(ft, data.test().targets(), data.task() == Task.BINARY ? Trainer.Loss.MSE
        : Trainer.Loss.CROSS_ENTROPY);
    clean.alignment = alignmentT;
    return clean;
  }

  /**
   * A tiled influence (null when only α was asked for) with its test kernel K* (driver), K's
   * kernel–target alignment (NaN unless asked) and α = (K + λI)^{-1} Y.
   */
  private record Tiled(TiledInfluence influence, Matrix kCross, double alignment, Matrix alpha) {}

  /**
   * K — Θ of first layer {@code w}, or H∞ when {@code w} is null — on the model inputs {@code x},
   * in {@link #tile}-row strips on the executors, with K + λI factorised and inverted there
   * ({@link TiledInfluence}); K* = K(xt, x) on the driver.
   */
  private Tiled tiled(JavaSparkContext jsc, Matrix x, Matrix xt, Matrix y, Matrix w, String tag, boolean alignment) {
    return tiled(jsc, x, xt, y, w, tag, alignment, true);
  }

  /** As above; with {@code influence} false, kernel ridge's α alone (Cholesky and two solves, no inverse). */
  private Tiled tiled(JavaSparkContext jsc, Matrix x, Matrix xt, Matrix y, Matrix w, String tag, boolean alignment,
      boolean influence) {
    BlockedRows train = BlockedRows.broadcast(jsc, x, tile);
    BlockedRows test = BlockedRows.broadcast(jsc, xt, Math.min(tile, xt.rows()));
    Broadcast<Matrix> wb = w == null ? null : jsc.broadcast(w);
    try {
      BlockKernel kernel = w == null ? NtkBlockKernels.analytic() : NtkBlockKernels.empirical(wb);
      String name = w == null ? "H_inf" : "Theta";
      BlockGrid grid = train.grid();
      int strips = grid.numBlocks();
      JavaRDD<TiledCholesky.Strip> k = Stages.run(jsc, "influence/kernel", name + " (" + tag + ") train x train in "
          + strips + " row strips of " + tile + "-row tiles", () -> {
            JavaRDD<TiledCholesky.Strip> st = TiledCholesky.lowerStrips(train.symmetricBlocks(kernel, 0), grid)
                .persist(StorageLevel.MEMORY_AND_DISK());
            st.count();
            return st;
          });
      try {
        double align = alignment ? TiledInfluence.alignment(jsc, k, grid, y) : Double.NaN;
        Matrix kc = Stages.run(jsc, "influence/kernel-test", name + " (" + tag + ") test x train",
            () -> BlockStore.assembleRectangular(test.crossBlocks(train, kernel, 0).collect(), test.grid(), grid));
        int every = Math.max(1, strips / 10);
        TiledCholesky.Progress progress = (alg, done, of) -> {
          if (done % every == 0 || done == of) {
            LOG.info("tiled {} ({}): {} of {} strips", alg, tag, done, of);
          }
        };
        try {
          if (!influence) {
            Matrix alpha = Stages.run(jsc, "influence/ridge", "tiled Cholesky of K + lambda I and two triangular"
                + " solves (" + tag + ", n = " + x.rows() + ", " + strips + " strips) across the executors",
                () -> TiledInfluence.ridge(jsc, k, grid, y, config.lambda()));
            return new Tiled(null, kc, align, alpha);
          }
          TiledInfluence inf = Stages.run(jsc, "influence/factor", "tiled Cholesky + inverse of K + lambda I ("
              + tag + ", n = " + x.rows() + ", " + strips + " strips) across the executors",
              () -> TiledInfluence.of(jsc, k, grid, y, kc, config.lambda(), progress));
          return new Tiled(inf, kc, align, inf.alpha());
        } catch (ArithmeticException e) {
          throw new UserInputException(tag + ": " + e.getMessage(), e);
        }
      } finally {
        k.unpersist(false);
      }
    } finally {
      train.release();
      test.release();
      if (wb != null) {
        wb.unpersist(false);
      }
    }
  }

  /** The kernel–target alignment of Θ (first layer {@code w}) on {@code x}, computed in tiles. */
  private double tiledAlignment(JavaSparkContext jsc, Matrix x, Matrix w, Matrix y) {
    BlockedRows train = BlockedRows.broadcast(jsc, x, tile);
    Broadcast<Matrix> wb = jsc.broadcast(w);
    try {
      return TiledInfluence.alignmentOfBlocks(jsc, train.symmetricBlocks(NtkBlockKernels.empirical(wb), 0),
          train.grid(), y);
    } finally {
      train.release();
      wb.unpersist(false);
    }
  }

  /**
   * The influence matrix's n columns computed on the executors (SCIENCE §5): B, the LOO residuals,
   * K* and the target spec broadcast once; one task per block of consecutive training examples
   * computes its n*×w block K* B[:, J] scaled by its residuals. The blocks are persisted so the
   * totals and the table rows are computed from one pass.
   */
  public static final class Columns {
    private final JavaRDD<Object[]> blocks;
    private final Runnable release;
    private final int n;
    private final int tasks;

    private Columns(JavaRDD<Object[]> blocks, Runnable release, int n, int tasks) {
      this.blocks = blocks;
      this.release = release;
      this.n = n;
      this.tasks = tasks;
    }

    /** The columns of a tiled influence: one task per column strip of M = L^{-1}. */
    public static Columns tiled(TiledInfluence inf, Influence.TargetSpec spec) {
      JavaRDD<Object[]> blocks = inf.blocks(spec).persist(StorageLevel.MEMORY_AND_DISK());
      return new Columns(blocks, inf::release, inf.n(), inf.tasks());
    }

    /** Blocks of at most {@code block} examples, and at least two tasks per core when n allows. */
    public static Columns of(JavaSparkContext jsc, Influence inf, Matrix kc, Influence.TargetSpec spec, int block) {
      int n = inf.n();
      Broadcast<Matrix> kcb = jsc.broadcast(kc);
      Broadcast<Matrix> bb = jsc.broadcast(inf.inverse());
      Broadcast<Matrix> rb = jsc.broadcast(inf.looResiduals());
      Broadcast<Influence.TargetSpec> sb = jsc.broadcast(spec);
      int cores = 2 * jsc.defaultParallelism();
      int width = Math.max(1, Math.min(block, (n + cores - 1) / cores));
      List<Integer> starts = new ArrayList<>();
      for (int from = 0; from < n; from += width) {
        starts.add(from);
      }
      int w = width;
      JavaRDD<Object[]> blocks = jsc.parallelize(starts, starts.size()).map(from -> {
        int to = Math.min(n, from + w);
        Matrix b = bb.value();
        return new Object[] {from, Influence.block(kcb.value(), b.data(), from * b.cols(), to - from, from, rb.value(),
            sb.value())};
      }).persist(StorageLevel.MEMORY_AND_DISK());
      return new Columns(blocks, () -> List.of(kcb, bb, rb, sb).forEach(b -> b.unpersist(false)), n, starts.size());
    }

    /** (first column, n*×w block) pairs. */
    public JavaRDD<Object[]> blocks() {
      return blocks;
    }

    public int tasks() {
      return tasks;
    }

    /** I_i = Σ_t I[t, i] for every training example, summed on the executors. */
    public double[] totals() {
      double[] totals = new double[n];
      for (Object[] b : blocks.map(o -> new Object[] {o[0], Influence.totals((Matrix) o[1])}).collect()) {
        double[] t = (double[]) b[1];
        System.arraycopy(t, 0, totals, (Integer) b[0], t.length);
      }
      return totals;
    }

    /** Drops the persisted blocks and what computed them. */
    public void release() {
      blocks.unpersist(false);
      release.run();
    }
  }

  // ---------------------------------------------------------------- malleability

  /** Rows: model, attack, intervention, seed, then {@link #METRICS}. */
  private List<Object[]> malleability(JavaSparkContext jsc, List<Broadcast<InfluenceWork.Setup>> setups,
      List<Clean> cleans, int k) {
    List<InfluenceWork.CellSpec> specs = new ArrayList<>();
    for (int ci = 0; ci < cleans.size(); ci++) {
      for (String iv : config.interventions()) {
        if (iv.equals("curated")) {
          specs.add(new InfluenceWork.CellSpec(ci, "none", iv));
        } else {
          for (Attacks.Kind a : config.attacks()) {
            specs.add(new InfluenceWork.CellSpec(ci, a.key(), iv));
          }
        }
      }
    }
    if (specs.isEmpty()) {
      return List.of();
    }
    List<Object[]> shared = new ArrayList<>();
    for (Clean c : cleans) {
      shared.add(new Object[] {c.modelIndex, c.net, c.totals, Malleability.rankByMagnitude(c.totals), c.spec});
    }
    Broadcast<List<Object[]>> sh = jsc.broadcast(shared);
    Config cfg = config;
    List<Broadcast<InfluenceWork.Setup>> su = setups;
    // Cells a resumed run finished before are read back (CellFiles); the rest run as tasks.
    RunOutput output = examplesOut;
    String[] files = new String[specs.size()];
    Object[][] rowsBySpec = new Object[specs.size()][];
    List<Integer> todo = new ArrayList<>();
    for (int r = 0; r < specs.size(); r++) {
      InfluenceWork.CellSpec cs = specs.get(r);
      Clean c = cleans.get(cs.clean());
      files[r] = CellFiles.DIR + "/" + config.models().get(c.modelIndex).key() + "_seed" + c.net.seed() + "_"
          + cs.attack() + "_" + cs.intervention() + ".ser";
      rowsBySpec[r] = resume ? CellFiles.read(output, files[r], Object[].class) : null;
      if (rowsBySpec[r] == null) {
        todo.add(r);
      }
    }
    if (todo.size() < specs.size()) {
      LOG.info("resuming: {} finished malleability cells read back, {} to compute", specs.size() - todo.size(),
          todo.size());
    }
    String root = output.rootUri();
    int failAfter = failAfterCells;
    Broadcast<org.apache.spark.util.SerializableConfiguration> hadoop =
        jsc.broadcast(new org.apache.spark.util.SerializableConfiguration(jsc.hadoopConfiguration()));
    List<InfluenceWork.CellSpec> specList = specs;
    List<Object[]> computed;
    if (todo.isEmpty()) {
      computed = List.of();
    } else if (tile > 0) {
      // Past the driver budget a cell's kernel does not fit a task: the cells run one after the
      // other from here, each attack, kernel and factorisation spread over the executors.
      computed = new ArrayList<>();
      for (int r : todo) {
        InfluenceWork.CellSpec cs = specList.get(r);
        Object[] c = shared.get(cs.clean());
        Broadcast<InfluenceWork.Setup> setup = su.get((Integer) c[0]);
        String tag = config.models().get((Integer) c[0]).key() + "/seed=" + ((InfluenceWork.Net) c[1]).seed() + "/"
            + cs.attack() + "/" + cs.intervention();
        Object[] row = Stages.run(jsc, "influence/cell", "malleability cell " + tag + " in tiles",
            () -> runCell(new TiledEngine(jsc, setup, tag), cfg, cs, c, setup.value(), k));
        try {
          CellFiles.write(root + "/" + files[r], row, hadoop.value());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        CellFiles.finished(failAfter);
        computed.add(new Object[] {r, row});
      }
    } else {
      computed = Stages.run(jsc, "influence/cells", todo.size()
          + " malleability cells (models x seeds x attacks x interventions), each with its random-sign control",
          () -> jsc.parallelize(todo, todo.size()).map(r -> {
            InfluenceWork.CellSpec cs = specList.get(r);
            Object[] c = sh.value().get(cs.clean());
            Object[] row = runCell(InfluenceWork.LOCAL, cfg, cs, c, su.get((Integer) c[0]).value(), k);
            CellFiles.write(root + "/" + files[r], row, hadoop.value());
            CellFiles.finished(failAfter);
            return new Object[] {r, row};
          }).collect());
    }
    sh.unpersist(false);
    hadoop.unpersist(false);
    for (Object[] done : computed) {
      rowsBySpec[(Integer) done[0]] = (Object[]) done[1];
    }
    List<Object[]> rows = java.util.Arrays.asList(rowsBySpec);
    writeExamples(specs, cleans, rows, setups, k);
    // The noise floor: the same examples' influence signs under another seed, no attack.
    List<Object[]> out = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      Object[] row = rows.get(r);
      Clean c = cleans.get(specs.get(r).clean());
      Clean other = nextSeed(cleans, c);
      double floor = Double.NaN;
      if (other != null) {
        int[] ranking = Malleability.rankByMagnitude(c.totals);
        int[] examples = row[2].equals("curated") ? Arrays.copyOfRange(ranking, k, 2 * k) : Arrays.copyOf(ranking, k);
        floor = Malleability.flipRate(c.totals, other.totals, examples);
      }
      Object[] full = Arrays.copyOf(row, 9);
      full[8] = floor;
      out.add(full);
    }
    return out;
  }

  /**
   * One malleability cell: row (model, attack, intervention, seed, flip_rate, spearman,
   * topk_overlap, control_random, top-k attacked pixels, their influences after). {@code c} is the
   * clean run's shared entry (model index, network, totals, ranking, target spec).
   */
  private static Object[] runCell(InfluenceWork.Engine engine, Config cfg, InfluenceWork.CellSpec cs, Object[] c,
      InfluenceWork.Setup s, int k) {
    InfluenceWork.Net net = (InfluenceWork.Net) c[1];
    Attacks.Kind kind = cs.attack().equals("none") ? null : Attacks.Kind.parse(cs.attack());
    Attacks.Params params = Attacks.Params.defaults(kind == null ? Attacks.Kind.FGSM : kind, cfg.eps());
    InfluenceWork.Retrain retrain = null;
    if (cfg.retrain() && s.empirical) {
      Matrix w0 = TwoLayerNetwork.initial(cfg.width(), s.x.cols(), cfg.sigma0(), net.seed(), cfg.symmetric())
          .weights();
      retrain = new InfluenceWork.Retrain(w0, recipe(cfg, cfg.optimizer(), InfluenceWork.modelInputs(s,
          s.pixels)[0], w0, cfg.weightDecay()), net.seed());
    }
    InfluenceWork.CellFigures f = InfluenceWork.cell(engine, s, net,
        InfluenceWork.Intervention.valueOf(cs.intervention().toUpperCase(Locale.ROOT)), kind, params,
        (double[]) c[2], (int[]) c[3], k, (Influence.TargetSpec) c[4], net.seed(), retrain);
    return new Object[] {s.model.key(), cs.attack(), cs.intervention(), net.seed(), f.flipRate(),
        f.spearman(), f.topkOverlap(), f.controlRandom(), f.topAttacked(), f.topAfter()};
  }

  /**
   * A malleability cell's recomputations past the driver budget, driven from the driver: the
   * attacks in tasks over chunks of examples, then the kernel of the perturbed data, its tiled
   * factorisation and the influence totals across the executors.
   */
  private final class TiledEngine implements InfluenceWork.Engine {
    private final JavaSparkContext jsc;
    private final Broadcast<InfluenceWork.Setup> setup;
    private final String tag;

    TiledEngine(JavaSparkContext jsc, Broadcast<InfluenceWork.Setup> setup, String tag) {
      this.jsc = jsc;
      this.setup = setup;
      this.tag = tag;
    }

    @Override
    public Matrix perturbed(InfluenceWork.Setup s, InfluenceWork.Net net, int[] examples, Attacks.Kind attack,
        Attacks.Params params, long seed) {
      if (attack == null) {
        return InfluenceWork.perturbed(s, net, examples, null, params, seed); // random signs: no gradient
      }
      int chunks = Math.max(1, Math.min(examples.length, 4 * jsc.defaultParallelism()));
      List<int[]> parts = new ArrayList<>();
      for (int q = 0; q < chunks; q++) {
        parts.add(Arrays.copyOfRange(examples, (int) ((long) q * examples.length / chunks),
            (int) ((long) (q + 1) * examples.length / chunks)));
      }
      Broadcast<InfluenceWork.Setup> su = setup;
      List<Matrix> rows = jsc.parallelize(parts, chunks)
          .map(ex -> InfluenceWork.perturbedRows(su.value(), net, ex, attack, params, seed)).collect();
      Matrix p = s.pixels.copy();
      int d = p.cols();
      for (int q = 0; q < chunks; q++) {
        int[] ex = parts.get(q);
        Matrix m = rows.get(q);
        for (int r = 0; r < ex.length; r++) {
          System.arraycopy(m.data(), r * d, p.data(), ex[r] * d, d);
        }
      }
      return p;
    }

    @Override
    public double[] totals(InfluenceWork.Setup s, Matrix trainPixels, int[] keep, Matrix w,
        Influence.TargetSpec spec) {
      Matrix p = keep == null ? trainPixels : trainPixels.selectRows(keep);
      Matrix y = keep == null ? s.y : s.y.selectRows(keep);
      Matrix[] z = InfluenceWork.modelInputs(s, p);
      Tiled t = tiled(jsc, z[0], z[1], y, s.empirical ? w : null, tag, false);
      Columns cols = Columns.tiled(t.influence(), spec);
      try {
        return cols.totals();
      } finally {
        cols.release();
      }
    }
  }

  /**
   * For the report's image grids: per model and attack, the first seed's top-k training examples
   * (transformed intervention) before and after the attack — {@code examples/<model>_clean.npy},
   * {@code examples/<model>_<attack>.npy} (k×d pixels) and {@code examples/<model>_<attack>.csv}
   * (rank, train_index, source_index, label, influence_before, influence_after).
   */
  private void writeExamples(List<InfluenceWork.CellSpec> specs, List<Clean> cleans, List<Object[]> rows,
      List<Broadcast<InfluenceWork.Setup>> setups, int k) {
    for (int r = 0; r < rows.size(); r++) {
      Object[] row = rows.get(r);
      Clean c = cleans.get(specs.get(r).clean());
      if (row[8] == null || !"transformed".equals(row[2]) || c.net.seed() != config.data().seed()) {
        continue;
      }
      InfluenceWork.Setup s = setups.get(c.modelIndex).value();
      int[] top = Arrays.copyOf(Malleability.rankByMagnitude(c.totals), k);
      String model = (String) row[0];
      String attack = (String) row[1];
      examplesOut.writeNpy("examples/" + model + "_clean.npy", s.pixels.selectRows(top));
      examplesOut.writeNpy("examples/" + model + "_" + attack + ".npy", (Matrix) row[8]);
      double[] after = (double[]) row[9];
      StringBuilder csv = new StringBuilder("rank,train_index,source_index,label,influence_before,influence_after\n");
      for (int q = 0; q < k; q++) {
        int i = top[q];
        csv.append(q + 1).append(',').append(i).append(',').append(sourceIndex[i]).append(',').append(labels[i])
            .append(',').append(c.totals[i]).append(',').append(after[q]).append('\n');
      }
      examplesOut.writeText("examples/" + model + "_" + attack + ".csv", csv.toString());
    }
  }

  /** The next seed's clean run of the same model (cyclically), or null with one seed. */
  private static Clean nextSeed(List<Clean> cleans, Clean c) {
    List<Clean> same = cleans.stream().filter(x -> x.modelIndex == c.modelIndex).toList();
    if (same.size() < 2) {
      return null;
    }
    return same.get((same.indexOf(c) + 1) % same.size());
  }

  private static Map<String, Object> malleabilitySummary(List<Object[]> rows) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<List<String>, List<Object[]>> g : group(rows).entrySet()) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (int m = 0; m < METRICS.size(); m++) {
        int col = 4 + m;
        metrics.put(METRICS.get(m), WidthSweepJob.interval(g.getValue().stream()
            .mapToDouble(r -> (Double) r[col]).toArray()));
      }
      List<String> key = g.getKey();
      ((Map<String, Object>) out.computeIfAbsent(key.get(0), x -> new LinkedHashMap<String, Object>()))
          .computeIfAbsent(key.get(1), x -> new LinkedHashMap<String, Object>());
      @SuppressWarnings("unchecked")
      Map<String, Object> byAttack = (Map<String, Object>) ((Map<String, Object>) out.get(key.get(0))).get(key.get(1));
      byAttack.put(key.get(2), metrics);
    }
    return out;
  }

  /** (model, attack, intervention) → rows, in first-seen order. */
  private static Map<List<String>, List<Object[]>> group(List<Object[]> rows) {
    Map<List<String>, List<Object[]>> g = new LinkedHashMap<>();
    for (Object[] r : rows) {
      g.computeIfAbsent(List.of((String) r[0], (String) r[1], (String) r[2]), x -> new ArrayList<>()).add(r);
    }
    return g;
  }

  private Map<String, Object> ratioSummary(List<Object[]> rows) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<List<String>, List<Object[]>> g = group(rows);
    for (Map.Entry<List<String>, List<Object[]>> e : g.entrySet()) {
      if (!e.getKey().get(0).equals("attn")) {
        continue;
      }
      List<Object[]> relu = g.get(List.of("relu", e.getKey().get(1), e.getKey().get(2)));
      if (relu == null) {
        continue;
      }
      double[] num = e.getValue().stream().mapToDouble(r -> (Double) r[4]).toArray();
      double[] den = relu.stream().mapToDouble(r -> (Double) r[4]).toArray();
      Malleability.RatioInterval ri = Malleability.ratio(num, den, config.bootstrap(), config.data().seed());
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("mean", ri == null ? null : ri.mean());
      v.put("lo", ri == null ? null : ri.lo());
      v.put("hi", ri == null ? null : ri.hi());
      v.put("seeds_attn", num.length);
      v.put("seeds_relu", den.length);
      if (ri == null) {
        v.put("note", "relu's mean flip rate is 0: the ratio does not exist");
      }
      ((Map<String, Object>) out.computeIfAbsent(e.getKey().get(1), x -> new LinkedHashMap<String, Object>()))
          .put(e.getKey().get(2), v);
    }
    return out;
  }

  /** The paper's flip rates at ε = 0.3 (SCIENCE §5), in percent, for the report to show beside ours. */
  static Map<String, Object> paperFlipRates() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("source", "arXiv 2603.13085, eps = 0.3, percent; FGSM / PGD / MIM (SCIENCE 5)");
    p.put("mnist_10class", Map.of("relu", List.of(4.1, 3.3, 3.4), "attn", List.of(34.6, 28.9, 21.9)));
    p.put("cifar10_10class", Map.of("relu", List.of(3.3, 3.1, 3.2), "attn", List.of(26.4, 19.1, 20.5)));
    p.put("mnist_3_vs_8", Map.of("relu", List.of(8.4, 8.4, 8.6), "attn", List.of(25.9, 41.0, 40.5)));
    p.put("attacks", List.of("fgsm", "pgd", "mim"));
    return p;
  }

  private static void writeMalleability(SparkSession spark, RunOutput output, List<Object[]> rows) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("attack", DataTypes.StringType, false)
        .add("intervention", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false);
    for (String m : METRICS) {
      schema = schema.add(m, DataTypes.DoubleType, true);
    }
    List<Row> out = new ArrayList<>();
    StringBuilder csv = new StringBuilder("model,attack,intervention,seed," + String.join(",", METRICS) + "\n");
    for (Object[] r : rows) {
      Object[] v = r.clone();
      for (int i = 4; i < v.length; i++) {
        v[i] = Double.isFinite((Double) v[i]) ? v[i] : null;
      }
      out.add(RowFactory.create(v));
      for (int i = 0; i < v.length; i++) {
        csv.append(i > 0 ? "," : "").append(v[i] == null ? "" : v[i]);
      }
      csv.append('\n');
    }
    spark.createDataFrame(out, schema).coalesce(1).write().parquet(output.uri("malleability.parquet"));
    output.writeText("malleability.csv", csv.toString());
  }

  // ---------------------------------------------------------------- transductive LOO

  private Map<String, Object> transductive(SparkSession spark, JavaSparkContext jsc,
      List<Broadcast<InfluenceWork.Setup>> setups, List<Clean> cleans, RunOutput output) {
    int mi = config.models().indexOf(Model.ATTN);
    int n = cleans.get(0).totals.length;
    boolean on = config.transductive() == Switch.ON
        || (config.transductive() == Switch.AUTO && n <= TRANSDUCTIVE_AUTO_MAX && tile == 0);
    if (mi < 0 || !on) {
      if (mi >= 0) {
        LOG.info("transductive LOO skipped ({} with n = {}; auto runs it up to n = {} when the kernel fits"
            + " --max-driver-mb)", config.transductive(), n, TRANSDUCTIVE_AUTO_MAX);
      }
      return null;
    }
    InfluenceWork.Setup s = setups.get(mi).value();
    List<Row> rows = new ArrayList<>();
    Map<String, Object> perSeed = new LinkedHashMap<>();
    List<Double> corr = new ArrayList<>();
    List<Double> agree = new ArrayList<>();
    for (Clean c : cleans) {
      if (c.modelIndex != mi) {
        continue;
      }
      TransductiveLoo loo = TransductiveLoo.prepare(s.x, s.xTest, s.y, config.lambda(),
          config.kernel() == KernelKind.EMPIRICAL ? c.net.w() : null);
      Broadcast<TransductiveLoo> lb = jsc.broadcast(loo);
      Broadcast<Influence.TargetSpec> sb = jsc.broadcast(c.spec);
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(i);
      }
      int slices = Math.min(n, 4 * jsc.defaultParallelism());
      double[] trans = new double[n];
      Stages.run(jsc, "influence/transductive", "transductive LOO (attn, seed " + c.net.seed() + "): " + n
          + " refits with example i removed from the context, in " + slices + " tasks", () -> {
            for (double[] r : jsc.parallelize(ids, slices).map(i -> {
              double[] v = Influence.applyTarget(lb.value().outputChange(i), sb.value());
              double sum = 0;
              for (double x : v) {
                sum += x;
              }
              return new double[] {i, sum};
            }).collect()) {
              trans[(int) r[0]] = r[1];
            }
          });
      lb.unpersist(false);
      sb.unpersist(false);
      for (int i = 0; i < n; i++) {
        rows.add(RowFactory.create("attn", c.net.seed(), i, c.totals[i], trans[i]));
      }
      Map<String, Object> m = compare(c.totals, trans, Malleability.topCount(config.tau(), n));
      perSeed.put(Long.toString(c.net.seed()), m);
      corr.add((Double) m.get("pearson"));
      agree.add((Double) m.get("sign_agreement"));
    }
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("train_index", DataTypes.IntegerType, false)
        .add("influence_fixed_kernel", DataTypes.DoubleType, false)
        .add("influence_transductive", DataTypes.DoubleType, false);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(output.uri("transductive.parquet"));
    org.ntkstudy.io.CsvTable.write(output, "transductive.csv", schema, rows);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("definition", "total influence I_i with example i also removed from the attention context"
        + " (C - x_i x_i^T, every x~ and the kernel recomputed) against the fixed-kernel closed form");
    out.put("pearson", WidthSweepJob.interval(corr.stream().mapToDouble(Double::doubleValue).toArray()));
    out.put("sign_agreement", WidthSweepJob.interval(agree.stream().mapToDouble(Double::doubleValue).toArray()));
    out.put("seeds", perSeed);
    return out;
  }

  /** How two influence vectors agree: correlations, sign agreement, top-k overlap and the largest difference. */
  static Map<String, Object> compare(double[] reference, double[] other, int k) {
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(reference[i] - other[i]));
      maxRef = Math.max(maxRef, Math.abs(reference[i]));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pearson", Malleability.pearson(reference, other));
    m.put("spearman", Malleability.spearman(reference, other));
    m.put("sign_agreement", Malleability.signAgreement(reference, other));
    m.put("topk_overlap", Malleability.topKOverlap(reference, other, k));
    m.put("max_abs_difference", maxDiff);
    m.put("max_abs_difference_relative", maxRef > 0 ? maxDiff / maxRef : null);
    return m;
  }

  // ---------------------------------------------------------------- retraining LOO

  private Map<String, Object> retrainLoo(SparkSession spark, JavaSparkContext jsc,
      List<Broadcast<InfluenceWork.Setup>> setups, List<Clean> cleans, RunOutput output, Trainer.Loss loss) {
    int n = cleans.get(0).totals.length;
    boolean on = config.retrainLoo() == Switch.ON
        || (config.retrainLoo() == Switch.AUTO && n <= RETRAIN_LOO_AUTO_MAX && tile == 0);
    if (!on) {
      LOG.info("network-retraining LOO skipped ({} with n = {}; auto runs it up to n = {} when the kernel fits"
          + " --max-driver-mb)", config.retrainLoo(), n, RETRAIN_LOO_AUTO_MAX);
      return null;
    }
    Config cfg = config;
    List<Row> rows = new ArrayList<>();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("definition", "full-batch GD from the same initialisation, no weight decay, example i removed, "
        + cfg.epochCount() + " epochs; f(x_t) - f_{-i}(x_t) against the closed form with Theta_T of the full-data GD"
        + " network");
    for (int mi = 0; mi < config.models().size(); mi++) {
      InfluenceWork.Setup s = setups.get(mi).value();
      Map<String, Object> perModel = new LinkedHashMap<>();
      List<Double> corr = new ArrayList<>();
      List<Double> agree = new ArrayList<>();
      for (Clean c : cleans) {
        if (c.modelIndex != mi) {
          continue;
        }
        long seed = c.net.seed();
        Matrix[] z = InfluenceWork.modelInputs(s, s.pixels);
        Matrix w0 = TwoLayerNetwork.initial(cfg.width(), s.x.cols(), cfg.sigma0(), seed, cfg.symmetric()).weights();
        Matrix a = c.net.a();
        TrainingRun.Recipe recipe = recipe(cfg, Trainer.Optimizer.GD, z[0], w0, 0.0);
        Matrix wFull = InfluenceWork.train(z[0], s.y, w0, a, loss, recipe, seed);
        Matrix fFull = Trainer.outputs(z[1], wFull, a);
        Matrix thetaT = TrainingRun.ntk(z[0], wFull);
        Matrix thetaTest = org.ntkstudy.math.NtkKernels.empiricalNtkPacked(z[1],
            org.ntkstudy.math.NtkKernels.packedPattern(z[1], wFull), z[0],
            org.ntkstudy.math.NtkKernels.packedPattern(z[0], wFull), wFull.rows(), false);
        Influence inf = Influence.of(thetaT, s.y, cfg.lambda());
        double[] closed = Influence.totals(inf.matrix(thetaTest, c.spec));
        Broadcast<Object[]> b = jsc.broadcast(new Object[] {z[0], z[1], w0, a, recipe, fFull, c.spec});
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ids.add(i);
        }
        double[] retrained = new double[n];
        Stages.run(jsc, "influence/retrain-loo", "network-retraining LOO (" + s.model.key() + ", seed " + seed + "): "
            + n + " networks", () -> {
              for (double[] r : jsc.parallelize(ids, Math.min(n, 4 * jsc.defaultParallelism())).map(i -> {
                Object[] v = b.value();
                Matrix x = (Matrix) v[0];
                int[] keep = new int[x.rows() - 1];
                for (int j = 0, q = 0; j < x.rows(); j++) {
                  if (j != i) {
                    keep[q++] = j;
                  }
                }
                Matrix w = InfluenceWork.train(x.selectRows(keep), s.y.selectRows(keep), (Matrix) v[2], (Matrix) v[3],
                    loss, (TrainingRun.Recipe) v[4], seed);
                Matrix f = Trainer.outputs((Matrix) v[1], w, (Matrix) v[3]);
                Matrix full = (Matrix) v[5];
                Matrix delta = new Matrix(f.rows(), f.cols());
                for (int q = 0; q < delta.data().length; q++) {
                  delta.data()[q] = full.data()[q] - f.data()[q];
                }
                double sum = 0;
                for (double x2 : Influence.applyTarget(delta, (Influence.TargetSpec) v[6])) {
                  sum += x2;
                }
                return new double[] {i, sum};
              }).collect()) {
                retrained[(int) r[0]] = r[1];
              }
            });
        b.unpersist(false);
        for (int i = 0; i < n; i++) {
          rows.add(RowFactory.create(s.model.key(), seed, i, closed[i], retrained[i]));
        }
        Map<String, Object> m = compare(retrained, closed, Malleability.topCount(cfg.tau(), n));
        perModel.put(Long.toString(seed), m);
        corr.add((Double) m.get("pearson"));
        agree.add((Double) m.get("sign_agreement"));
      }
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("pearson", WidthSweepJob.interval(corr.stream().mapToDouble(Double::doubleValue).toArray()));
      mm.put("sign_agreement", WidthSweepJob.interval(agree.stream().mapToDouble(Double::doubleValue).toArray()));
      mm.put("seeds", perModel);
      out.put(s.model.key(), mm);
    }
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false)
        .add("train_index", DataTypes.IntegerType, false)
        .add("influence_closed_form", DataTypes.DoubleType, false)
        .add("influence_retrained", DataTypes.DoubleType, false);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(output.uri("retrain_loo.parquet"));
    org.ntkstudy.io.CsvTable.write(output, "retrain_loo.csv", schema, rows);
    return out;
  }

  // ---------------------------------------------------------------- dual implication

  private Map<String, Object> dual(JavaSparkContext jsc, List<ModelInputs> inputs, List<Clean> cleans,
      StudyData data, List<Object[]> mallRows, RunOutput output) {
    Map<String, Object> table = new LinkedHashMap<>();
    StringBuilder csv = new StringBuilder("model,krr_test_mse,krr_test_accuracy,krr_alignment,net_test_accuracy,"
        + "net_test_loss,net_alignment_T");
    List<String> flipKeys = new ArrayList<>();
    for (List<String> key : group(mallRows).keySet()) {
      String fk = "flip_rate_" + key.get(1) + "_" + key.get(2);
      if (!flipKeys.contains(fk)) {
        flipKeys.add(fk);
      }
    }
    for (String fk : flipKeys) {
      csv.append(',').append(fk);
    }
    csv.append('\n');
    Map<String, Double> krrMse = new LinkedHashMap<>();
    for (int mi = 0; mi < inputs.size(); mi++) {
      ModelInputs in = inputs.get(mi);
      String model = in.model().key();
      Matrix f;
      double krrAlignment;
      if (tile > 0) {
        Tiled t = tiled(jsc, in.train(), in.test(), data.train().targets(), null, model + "/dual", true, false);
        f = Blas.multiply(t.kCross(), t.alpha());
        krrAlignment = t.alignment();
      } else {
        var h = org.ntkstudy.spark.AnalyticReference.of(jsc, in, Math.min(in.train().rows(), 1024),
            "influence/dual");
        f = DriverBlas.allCores(jsc, () -> KernelRidge.predict(h.test(),
            KernelRidge.factor(h.train(), config.lambda()).solve(data.train().targets())));
        krrAlignment = TrainingRun.alignment(h.train(), data.train().targets());
      }
      double mse = 0;
      Matrix yt = data.test().targets();
      for (int q = 0; q < f.data().length; q++) {
        double r = f.data()[q] - yt.data()[q];
        mse += r * r;
      }
      mse /= yt.rows();
      krrMse.put(model, mse);
      int m = mi;
      List<Clean> mine = cleans.stream().filter(c -> c.modelIndex == m).toList();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("krr_test_mse", mse);
      row.put("krr_test_accuracy", TrainingRun.accuracy(f, yt));
      row.put("krr_alignment", krrAlignment);
      row.put("net_test_accuracy", WidthSweepJob.interval(mine.stream().mapToDouble(c -> c.testAccuracy).toArray()));
      row.put("net_test_loss", WidthSweepJob.interval(mine.stream().mapToDouble(c -> c.testLoss).toArray()));
      row.put("net_alignment_T", WidthSweepJob.interval(mine.stream().mapToDouble(c -> c.alignment).toArray()));
      Map<String, Object> flips = new LinkedHashMap<>();
      for (Map.Entry<List<String>, List<Object[]>> g : group(mallRows).entrySet()) {
        if (g.getKey().get(0).equals(model)) {
          flips.put("flip_rate_" + g.getKey().get(1) + "_" + g.getKey().get(2),
              WidthSweepJob.interval(g.getValue().stream().mapToDouble(r -> (Double) r[4]).toArray()));
        }
      }
      row.put("vulnerability", flips);
      table.put(model, row);
      csv.append(model).append(',').append(mse).append(',').append(row.get("krr_test_accuracy")).append(',')
          .append(row.get("krr_alignment")).append(',').append(mean(row.get("net_test_accuracy"))).append(',')
          .append(mean(row.get("net_test_loss"))).append(',').append(mean(row.get("net_alignment_T")));
      for (String fk : flipKeys) {
        Object iv = flips.get(fk);
        csv.append(',').append(iv == null ? "" : String.valueOf(mean(iv)));
      }
      csv.append('\n');
    }
    output.writeText("dual.csv", csv.toString());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", table);
    if (krrMse.containsKey("attn") && krrMse.containsKey("relu")) {
      boolean approx = krrMse.get("attn") < krrMse.get("relu");
      Map<String, Object> ratios = ratioSummary(mallRows);
      Boolean vulnerable = null;
      Object pgd = ratios.get("pgd") instanceof Map<?, ?> mp ? mp.get("transformed") : null;
      if (pgd instanceof Map<?, ?> r && r.get("lo") instanceof Double lo) {
        vulnerable = lo > 1;
      }
      out.put("attn_approximates_better", approx);
      out.put("attn_more_malleable", vulnerable);
      out.put("statement", String.format(Locale.ROOT,
          "kernel ridge with H_inf: test MSE %.4g on x~ (attn) vs %.4g on x (relu), so attention %s; the attn/relu"
              + " flip-rate ratio (PGD, transformed) %s; both hold: %s",
          krrMse.get("attn"), krrMse.get("relu"), approx ? "approximates better" : "does not approximate better",
          vulnerable == null ? "was not measured or does not exist" : vulnerable ? "has its 95% interval above 1"
              : "does not have its 95% interval above 1",
          vulnerable == null ? "undetermined" : Boolean.toString(approx && vulnerable)));
    }
    return out;
  }

  private static Object mean(Object interval) {
    return interval instanceof Map<?, ?> m ? m.get("mean") : interval;
  }
}
