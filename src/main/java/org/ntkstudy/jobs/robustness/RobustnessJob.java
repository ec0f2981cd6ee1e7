package org.ntkstudy.jobs.robustness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.influence.DualStage;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.influence.SeedWork;
import org.ntkstudy.math.Model;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.ChanceLevel;
import org.ntkstudy.results.ClaimRobustness;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.RobustnessCell;
import org.ntkstudy.results.RobustnessResult;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.spark.GridJob;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code robustness} job (SCIENCE §7, last paragraph): the influence part's verdicts over the
 * grid dataset × input normalisation × attack radius × kernel (Θ_T | H∞), each cell with its seeds,
 * and per claim whether the verdict is the same in every cell.
 *
 * <p>Task unit: one Spark task per (dataset, input normalisation, seed) on the grid engine ({@link
 * CellGrid}, grid {@code robustness/cells}). A network and its attacks depend on the dataset, the
 * input normalisation and the seed only; the kernel changes only the influences and the radius only
 * the attacks. So the task trains that seed's relu and attn networks once ({@link SeedWork}) and
 * computes, for every kernel, their clean influences and, for every radius, every malleability cell
 * with its control — all the map's cells (dataset, input normalisation, ·, ·) of that seed, nothing
 * computed twice. The verdicts are then computed per (dataset, input normalisation, kernel) over
 * its seeds, exactly as the influence job computes them ({@link RobustnessVerdicts}), and read per
 * radius. Finished tasks are kept with the settings' fingerprint: {@code --resume} computes only
 * the others.
 */
public final class RobustnessJob extends GridJob<RobustnessJob> {
  private static final Logger LOG = LoggerFactory.getLogger(RobustnessJob.class);

  /** The grid's name (its job group, and its kill point {@code "robustness/cells cell"}). */
  public static final String GRID = "robustness/cells";

  /**
   * The job's configuration.
   *
   * @param datasets the datasets, each with its location and classes (its input norm is replaced per cell)
   * @param inputNorms the input normalisations (SCIENCE §0.1)
   * @param kernels the kernels
   * @param influence the influence settings every cell uses: models (relu and attn), attacks,
   *     interventions, λ, target, the networks' recipe, seeds, the attack radii ({@code attackEps}),
   *     τ, bootstrap; its data is replaced per cell, its out and kernel are not used
   * @param partitions at most this many tasks at once (0: one per task unit)
   */
  public record Config(List<DatasetSpec> datasets, List<String> inputNorms, List<InfluenceJob.KernelKind> kernels,
      InfluenceJob.Config influence, String out, boolean overwrite, int partitions) {

    public Config {
      datasets = List.copyOf(datasets);
      inputNorms = List.copyOf(inputNorms);
      kernels = List.copyOf(kernels);
      if (datasets.isEmpty() || inputNorms.isEmpty() || kernels.isEmpty()) {
        throw new UserInputException("--datasets, --input-norms and --kernels need at least one value each");
      }
      List<String> names = datasets.stream().map(DatasetSpec::dataset).toList();
      if (names.stream().distinct().count() != names.size()) {
        throw new UserInputException("--datasets names a dataset twice: " + names);
      }
      if (inputNorms.stream().distinct().count() != inputNorms.size()
          || kernels.stream().distinct().count() != kernels.size()) {
        throw new UserInputException("--input-norms and --kernels must not repeat a value");
      }
      for (String norm : inputNorms) {
        if (!DatasetSpec.INPUT_NORMS.contains(norm)) {
          throw new UserInputException("--input-norms: '" + norm + "' is not one of " + DatasetSpec.INPUT_NORMS);
        }
      }
      if (!influence.models().equals(List.of(Model.RELU, Model.ATTN))) {
        throw new UserInputException("robustness compares attn with relu: --models must be relu,attn");
      }
      if (influence.retrain() || influence.trainDir() != null) {
        throw new UserInputException("robustness trains its own networks and keeps W_T: no --retrain, no --train-dir");
      }
    }

    /** The settings, for the provenance and the fingerprint. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("datasets", datasets.stream().map(d -> (Object) d.withInputNorm(null).toMap()).toList());
      m.put("input_norms", inputNorms);
      m.put("kernels", kernels.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
      Map<String, Object> infl = new LinkedHashMap<>(influence.toMap());
      for (String key : influence.data().toMap().keySet()) {
        if (!key.equals("seed")) {
          infl.remove(key);
        }
      }
      infl.remove("kernel");
      infl.remove("out");
      infl.remove("train_dir");
      infl.remove("retrain");
      infl.remove("retrain_loo");
      infl.remove("transductive");
      m.putAll(infl);
      m.put("out", out);
      return m;
    }

    /** The settings that decide the numbers (for {@code --resume} and the study). */
    public Fingerprint fingerprint() {
      return Fingerprint.of(toMap());
    }

    /** The same configuration writing to {@code out}. */
    public Config withOut(String out, boolean overwrite) {
      return new Config(datasets, inputNorms, kernels, influence, out, overwrite, partitions);
    }

    /** The same configuration with at most {@code partitions} tasks at once. */
    public Config withPartitions(int partitions) {
      return new Config(datasets, inputNorms, kernels, influence, out, overwrite, partitions);
    }
  }

  /**
   * What the job produced.
   *
   * @param out the committed output folder
   * @param result what its summary.json says
   */
  public record Result(Path out, RobustnessResult result) {}

  /** One task unit of the grid: a (dataset, input normalisation) group and a seed index. */
  public record Unit(int group, int seed, String key) implements CellGrid.Cell {}

  private final Config config;

  public RobustnessJob(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    checkOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    long t0 = System.nanoTime();
    List<RobustnessVerdicts.Group> groups = new ArrayList<>();
    for (DatasetSpec ds : config.datasets()) {
      for (String norm : config.inputNorms()) {
        groups.add(group(spark, jsc, ds.withInputNorm(norm)));
      }
    }
    RunOutput output = openOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    if (resuming()) {
      output.clear();
    }
    Fingerprint fingerprint = config.fingerprint();
    // Seeds are the grid's axis (the units' keys name them); the bootstrap comes after the tasks.
    CellGrid grid = grid(jsc, GRID, output, fingerprint.without(List.of("seeds", "bootstrap")))
        .partitions(config.partitions());
    int seeds = config.influence().seeds();
    long base = config.influence().data().seed();
    List<Unit> units = new ArrayList<>();
    List<Broadcast<SeedWork.Data>> shared = new ArrayList<>();
    List<InfluenceJob.Config> configs = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      RobustnessVerdicts.Group gr = groups.get(g);
      shared.add(grid.broadcast(gr.data()));
      configs.add(gr.config());
      for (int s = 0; s < seeds; s++) {
        units.add(new Unit(g, s, gr.config().data().dataset() + "_" + gr.config().data().inputNorm() + "_seed"
            + (base + s)));
      }
    }
    List<InfluenceJob.KernelKind> kernels = config.kernels();
    List<SeedWork.SeedOutcome> outcomes = grid.run(units, units.size() + " task units ((dataset, input norm) x seed),"
        + " each training relu and attn once and computing " + kernels.size() + " kernel(s) x "
        + config.influence().attackEps().size() + " radii of malleability cells",
        u -> SeedWork.run(configs.get(u.group()), kernels, shared.get(u.group()).value(), base + u.seed()));
    grid.release();

    List<RobustnessCell> cells = new ArrayList<>();
    RobustnessTable table = new RobustnessTable();
    for (int g = 0; g < groups.size(); g++) {
      List<SeedWork.SeedOutcome> mine = outcomes.subList(g * seeds, (g + 1) * seeds);
      for (int ki = 0; ki < kernels.size(); ki++) {
        RobustnessVerdicts.Evaluated e = RobustnessVerdicts.evaluate(groups.get(g), kernels.get(ki), ki, mine);
        output.writeText("malleability/" + e.name() + ".csv", e.malleability().csv());
        for (RobustnessCell c : e.cells()) {
          cells.add(c);
          table.add(c, e);
        }
      }
    }
    List<String> claims = new ArrayList<>();
    cells.forEach(c -> c.verdicts().keySet().stream().filter(k -> !claims.contains(k)).forEach(claims::add));
    Map<String, ClaimRobustness> robust = new LinkedHashMap<>();
    for (String claim : claims) {
      ClaimRobustness r = ClaimRobustness.of(claim, cells);
      robust.put(claim, r);
      LOG.info("robustness {}: {}", claim, r.sentence());
    }
    table.write(spark, output);
    KillPoints.reach("robustness tables");
    RobustnessChart.write(output, cells, config.kernels(), config.influence().attackEps());
    RobustnessResult result = new RobustnessResult(RobustnessResult.JOB,
        config.datasets().stream().map(DatasetSpec::dataset).toList(), config.inputNorms(),
        config.influence().attackEps(), kernels.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList(), seeds,
        cells, robust, RobustnessResult.DEFINITIONS, (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, config.toMap(), base));
    ResultJson.writeSummary(output, result);
    Path done = output.fingerprint(fingerprint).commit();
    LOG.info("robustness written to {}", done);
    return new Result(done, result);
  }

  /** Loads one (dataset, input normalisation) and prepares what its tasks and its verdicts share. */
  private RobustnessVerdicts.Group group(SparkSession spark, JavaSparkContext jsc, DatasetSpec spec) {
    StudyData data = Stages.run(jsc, "robustness/data", "load " + spec.dataset() + " (" + spec.inputNorm() + ")",
        () -> DatasetLoader.load(spec, jsc.hadoopConfiguration(), spark));
    if (data.test().n() == 0) {
      throw new UserInputException("influence is measured on the test set: --n-test must be positive");
    }
    InfluenceJob.Config cfg = config.influence().withData(spec);
    int n = data.train().n();
    int k = SeedWork.topCount(cfg, n);
    if (2 * k > n && cfg.interventions().contains("curated")) {
      throw new UserInputException("curating removes the top k = " + k + " and measures the next k: n = " + n
          + " is too small for --tau " + cfg.tau());
    }
    int block = TaskMemory.defaultBlock(spark, n, data.d());
    SeedWork.Data shared = SeedWork.prepare(jsc, cfg, data, k, block);
    Map<String, DualStage.Krr> krr = new LinkedHashMap<>();
    for (int mi = 0; mi < cfg.models().size(); mi++) {
      krr.put(cfg.models().get(mi).key(), DualStage.Krr.local(shared.train().get(mi), shared.test().get(mi),
          data.train().targets(), data.test().targets(), cfg.lambda()));
    }
    return new RobustnessVerdicts.Group(cfg, data.task().name().toLowerCase(Locale.ROOT), n, data.test().n(), k,
        shared, krr, ChanceLevel.of(data.test().classIndex(), data.k()));
  }
}
