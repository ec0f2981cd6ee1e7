package org.ntkstudy.jobs.influence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.data.Task;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.results.DualTable;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.math.CollapseDiagnostics;
import org.ntkstudy.results.InfluenceVerdicts;
import org.ntkstudy.results.Collapse;
import org.ntkstudy.results.ClaimVerdicts;
import org.ntkstudy.results.ChanceLevel;
import org.ntkstudy.results.PaperFlipRates;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.RetrainLooSummary;
import org.ntkstudy.results.TransductiveLooSummary;
import org.ntkstudy.spark.GridJob;
import org.ntkstudy.spark.Stages;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code influence} job (SCIENCE §5–§6), orchestration only: loads the data, chooses where
 * K + λI is factorised ({@link Factorisation}), gets the trained networks ({@link Networks}), then
 * runs the stages in order — the clean influences ({@link CleanInfluence}), the malleability cells
 * per attack radius with their controls, excesses and attn/relu ratios ({@link MalleabilityStage},
 * {@link MalleabilityTable}), the transductive LOO of
 * attn ({@link TransductiveStage}), the network-retraining LOO ({@link RetrainLooStage}) and the
 * dual-implication table ({@link DualStage}) — and writes the summary and commits the output.
 */
public final class InfluenceJob extends GridJob<InfluenceJob> {
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
      TrainingProfile profile, int epochs, double lr, double gdLr, int batch, double weightDecay, boolean symmetric,
      List<Double> attackEps, double tau, boolean frozenContext, boolean retrain, Switch retrainLoo,
      Switch transductive, int bootstrap, int block) implements java.io.Serializable {

    public Config {
      models = List.copyOf(models);
      attackEps = List.copyOf(attackEps);
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
      if (attackEps.isEmpty()) {
        throw new UserInputException("--attack-eps (alias --eps) needs at least one radius, e.g. 0.3,0.1,0.03");
      }
      for (int i = 0; i < attackEps.size(); i++) {
        double eps = attackEps.get(i);
        if (!(eps > 0 && eps <= 1)) {
          throw new UserInputException("--attack-eps (alias --eps): every radius must be in (0, 1] (pixels are in"
              + " [0, 1]), got " + eps);
        }
        if (attackEps.subList(0, i).contains(eps)) {
          throw new UserInputException("--attack-eps (alias --eps): the radius " + eps + " is given twice");
        }
      }
      if (!(tau > 0 && tau < 0.5)) {
        throw new UserInputException("--tau must be in (0, 0.5) (curating needs the next k after the top k), got " + tau);
      }
      if (width <= 0 || (symmetric && width % 2 != 0)) {
        throw new UserInputException("--width must be positive" + (symmetric ? " and even with --symmetric" : "")
            + ", got " + width);
      }
      UserInputException.requirePositive("--sigma0", sigma0);
      UserInputException.requirePositive("--seeds", seeds);
      UserInputException.requireNonNegative("--epochs", epochs); // 0: the profile's (the command refuses an explicit 0)
      UserInputException.requirePositive("--lr", lr);
      UserInputException.requireNonNegative("--gd-lr", gdLr); // 0: automatic
      UserInputException.requirePositive("--batch", batch);
      UserInputException.requireNonNegative("--weight-decay", weightDecay);
      if (bootstrap < 100) {
        throw new UserInputException("--bootstrap must be at least 100 draws, got " + bootstrap);
      }
      if (retrain && trainDir != null) {
        throw new UserInputException("--retrain retrains from the initialisation, which --train-dir does not hold:"
            + " drop --train-dir to train the networks here");
      }
    }

    /** A configuration with the single attack radius {@code eps} (the form before radii were a grid axis). */
    public Config(DatasetSpec data, String out, boolean overwrite, boolean npy, long maxDriverBytes,
        List<Model> models, List<Attacks.Kind> attacks, List<String> interventions, double lambda, KernelKind kernel,
        Influence.Target target, String trainDir, int width, double sigma0, Trainer.Optimizer optimizer, int seeds,
        TrainingProfile profile, int epochs, double lr, double gdLr, int batch, double weightDecay, boolean symmetric,
        double eps, double tau, boolean frozenContext, boolean retrain, Switch retrainLoo, Switch transductive,
        int bootstrap, int block) {
      this(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target,
          trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric,
          List.of(eps), tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /**
     * The first attack radius of {@code --attack-eps}: the radius of the summary's top-level
     * {@code malleability}, {@code ratio} and {@code excess_ratio} keys and of the example images.
     */
    public double eps() {
      return attackEps.get(0);
    }

    /** The same configuration with the attack radii {@code attackEps}. */
    public Config withAttackEps(List<Double> attackEps) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, attackEps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /** The same configuration on the data {@code data} (the robustness job's dataset and input-norm axes). */
    public Config withData(DatasetSpec data) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, attackEps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /** The same configuration with the kernel {@code kernel} (the robustness job's kernel axis). */
    public Config withKernel(KernelKind kernel) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, attackEps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /** The epochs: {@code --epochs}, or the profile's when 0. */
    public int epochCount() {
      return epochs > 0 ? epochs : profile.epochs();
    }

    /** The same configuration writing to {@code out} (the study job places its parts). */
    public Config withOut(String out, boolean overwrite) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, attackEps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    /** The same configuration reading its networks from {@code trainDir}. */
    public Config withTrainDir(String trainDir) {
      return new Config(data, out, overwrite, npy, maxDriverBytes, models, attacks, interventions, lambda, kernel, target, trainDir, width, sigma0, optimizer, seeds, profile, epochs, lr, gdLr, batch, weightDecay, symmetric, attackEps, tau, frozenContext, retrain, retrainLoo, transductive, bootstrap, block);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(data.toMap());
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
      m.putAll(TrainingProfile.recipeMap(profile.key(), epochCount(), lr, gdLr, batch,
          weightDecay, symmetric));
      m.put("attack_eps", attackEps);
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
      // --npy, the driver budget (driver or tiled factorisation) and the block size are not in the
      // provenance map but change what is written or its last digits.
      Fingerprint fp = Fingerprint.of(toMap()).with("npy", npy).with("max_driver_mb", maxDriverBytes >> 20)
          .with("block", block);
      if (trainDir == null) {
        return fp;
      }
      Fingerprint networks = RunOutput.finishedFingerprint(trainDir, conf);
      return networks == null ? fp : fp.with("train_dir", networks);
    }
  }

  /**
   * What the job produced.
   *
   * @param out the committed output folder
   * @param result what its summary.json says
   */
  public record Result(Path out, InfluenceResult result) {}

  private final Config config;

  public InfluenceJob(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    checkOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration()); // before the data load
    long t0 = System.nanoTime();
    StudyData data = Stages.run(jsc, "influence/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    if (data.test().n() == 0) {
      throw new UserInputException("influence is measured on the test set: --n-test must be positive");
    }
    int n = data.train().n();
    int nt = data.test().n();
    int k = Malleability.topCount(config.tau(), n);
    if (2 * k > n && config.interventions().contains("curated")) {
      throw new UserInputException("curating removes the top k = " + k + " and measures the next k: n = " + n
          + " is too small for --tau " + config.tau());
    }
    Trainer.Loss loss = data.task() == Task.BINARY ? Trainer.Loss.MSE : Trainer.Loss.CROSS_ENTROPY;
    int block = config.block() > 0 ? Math.min(config.block(), n) : TaskMemory.defaultBlock(spark, n, data.d());
    Factorisation factorisation = Factorisation.choose(spark, config, n, nt);
    // Opened once the data and options are known to be usable: a refused run leaves nothing behind.
    RunOutput output = openOutput(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    if (resuming()) {
      output.clear(); // tables and files of the interrupted run are rewritten whole; its cells are kept apart
    }
    Fingerprint fingerprint = config.fingerprint(jsc.hadoopConfiguration());
    InfluenceContext ctx = InfluenceContext.open(spark, config, data, loss, k, block, factorisation, output);

    List<CleanRun> cleans = new CleanInfluence(ctx).run(Networks.of(ctx));
    MalleabilityTable malleability = new MalleabilityStage(ctx, fingerprint, this).run(cleans);
    MalleabilityTable.Summary effects = malleability.summary(config.bootstrap(), config.data().seed());
    malleability.write(spark, output);
    KillPoints.reach("influence tables");
    TransductiveLooSummary transductive = new TransductiveStage(ctx).run(cleans).orElse(null);
    RetrainLooSummary retrainLoo = new RetrainLooStage(ctx).run(cleans).orElse(null);
    DualTable dual = new DualStage(ctx).run(cleans, effects);
    ChanceLevel chance = ChanceLevel.of(data.test().classIndex(), data.k());
    Collapse collapse = collapse(ctx);
    InfluenceResult numbers = new InfluenceResult(InfluenceResult.JOB, config.data().dataset(),
        data.task().name().toLowerCase(Locale.ROOT), n, nt, config.lambda(),
        config.kernel().name().toLowerCase(Locale.ROOT), config.target().key(), k, config.tau(), config.eps(),
        config.attackEps(), factorisation.description(), effects.malleability(), effects.ratio(),
        effects.excessRatio(), effects.byRadius(), PaperFlipRates.PAPER, transductive, retrainLoo, dual, chance,
        collapse, null, InfluenceResult.DEFINITIONS, (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, config.toMap(), config.data().seed()));
    InfluenceVerdicts verdicts = ClaimVerdicts.influence(numbers, chance);
    logVerdicts(numbers, chance, verdicts);
    InfluenceResult result = numbers.withVerdicts(verdicts);
    ResultJson.writeSummary(output, result);
    ctx.release();
    Path done = output.fingerprint(fingerprint).commit();
    LOG.info("influence written to {}", done);
    return new Result(done, result);
  }

  /** The attended features' collapse diagnostics (SCIENCE §6) when attn is among the models, else null. */
  private static Collapse collapse(InfluenceContext ctx) {
    int attn = ctx.config().models().indexOf(Model.ATTN);
    if (attn < 0) {
      return null;
    }
    Collapse c = Collapse.of(CollapseDiagnostics.of(ctx.data().train().inputs(), ctx.inputs().get(attn).train()));
    if (c.warning() != null) {
      LOG.warn("influence: {}", c.warning());
    }
    return c;
  }

  /** Says in the log which networks are at chance (SCIENCE §6) and every verdict (§7). */
  private static void logVerdicts(InfluenceResult r, ChanceLevel chance, InfluenceVerdicts v) {
    for (String model : r.dual() == null ? java.util.List.<String>of() : r.dual().models()) {
      var row = r.dual().row(model);
      Double acc = row == null || row.netTestAccuracy() == null ? null : row.netTestAccuracy().mean();
      if (acc != null && chance.atChance(acc)) {
        LOG.warn("influence: the {} networks are at chance: seed-mean test accuracy {} against chance {} (at most {}"
            + " is chance, SCIENCE §6): their influences say nothing about the paper's claims", model,
            String.format(Locale.ROOT, "%.3f", acc), String.format(Locale.ROOT, "%.3f", chance.chance()),
            String.format(Locale.ROOT, "%.3f", chance.threshold()));
      }
    }
    v.c3().forEach((iv, byAttack) -> byAttack.forEach((attack, byRadius) -> byRadius.forEach((radius, verdict) ->
        LOG.info("C3.{}.{}.{}: {}", iv, attack, radius, verdict.sentence()))));
    LOG.info("C4: {}", v.c4().sentence());
    LOG.info("dual: {}", v.dual().sentence());
  }
}
