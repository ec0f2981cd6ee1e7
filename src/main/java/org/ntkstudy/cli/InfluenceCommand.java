package org.ntkstudy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.results.InfluenceResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code influence}: leave-one-out influence, adversarial perturbations and malleability (SCIENCE §5–§6). */
@Command(name = "influence", mixinStandardHelpOptions = true,
    description = "Closed-form NTK leave-one-out influence of every training example, adversarial perturbations"
        + " (FGSM, PGD, MIM) and the malleability of influence (flip rate, Spearman, top-K overlap) with controls,"
        + " the attn/relu ratio, transductive and retraining LOO, and the dual-implication table (SCIENCE 5-6).")
public final class InfluenceCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;
  @Mixin MalleabilityOptions malleability;
  @Mixin ResumeOption resume;
  @Mixin RecipeOptions recipe;

  @Option(names = "--models", defaultValue = "relu,attn", description = "relu,attn (default: ${DEFAULT-VALUE})")
  String models;

  @Option(names = "--kernel", defaultValue = "empirical",
      description = "empirical (Theta_T of the trained network, the paper's) | analytic (H_inf) (default: ${DEFAULT-VALUE})")
  String kernel;

  @Option(names = "--train-dir", paramLabel = "DIR",
      description = "a train job's output folder to read W.npy/a.npy from (default: train the networks here)")
  String trainDir;

  @Option(names = "--width", defaultValue = "1024", description = "network width m (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--sigma0", defaultValue = "0.01", description = "initial scale (default: ${DEFAULT-VALUE})")
  double sigma0;

  @Option(names = "--optimizer", defaultValue = "adam", description = "adam | gd (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--seeds", defaultValue = "3", description = "seeds (networks) per model (default: ${DEFAULT-VALUE})")
  int seeds;

  // One option, two names: --eps is the older name of --attack-eps (the influence job's only; --eps of
  // spectrum and sweep is their target error, another thing).
  @Option(names = {"--attack-eps", "--eps"}, split = ",", paramLabel = "EPS", defaultValue = "0.3",
      description = "the attacks' l-infinity radii in pixels, a grid axis of the malleability cells (e.g."
          + " 0.3,0.1,0.03); every figure is reported per radius, the summary's top-level malleability and ratio"
          + " keys for the first; --eps is its alias (default: ${DEFAULT-VALUE})")
  List<Double> attackEps;

  @Option(names = "--tau", defaultValue = "0.1", description = "top fraction of examples by |I_i| (default: ${DEFAULT-VALUE})")
  double tau;

  @Option(names = "--frozen-context", description = "attn: stop the attack's gradient at C (the context)")
  boolean frozenContext;

  @Option(names = "--retrain", description = "retrain the network after each intervention (default: keep W_T)")
  boolean retrain;

  @Option(names = "--retrain-loo", defaultValue = "auto",
      description = "network-retraining LOO: auto (n <= 100) | on | off (default: ${DEFAULT-VALUE})")
  String retrainLoo;

  @Option(names = "--transductive", defaultValue = "auto",
      description = "transductive LOO for attn: auto (n <= 2000) | on | off (default: ${DEFAULT-VALUE})")
  String transductive;

  @Option(names = "--bootstrap", defaultValue = "2000", description = "draws of the paired two-level percentile"
      + " bootstrap of the flip rates, controls, excesses and attn/relu ratios, seeded by --seed (default:"
      + " ${DEFAULT-VALUE})")
  int bootstrap;

  @Option(names = "--block", defaultValue = "0", description = "block size of the kernels, and past"
      + " --max-driver-mb the tile size of the factorisation (default: automatic; tiles of 1024, fewer rows when"
      + " executor memory is short)")
  int block;

  /** The job configuration these options describe (also used by the study job). */
  InfluenceJob.Config config() {
    List<Attacks.Kind> as = malleability.attacks();
    List<String> ivs = malleability.interventions();
    Influence.Target t = malleability.target();
    return new InfluenceJob.Config(dataset.spec(), output.out, output.overwrite, output.npy,
        output.maxDriverBytes(), Cli.parseEnums(Model.class, "--models", models), as, ivs, malleability.lambda,
        Cli.parseEnum(InfluenceJob.KernelKind.class, "--kernel", kernel), t, trainDir, width, sigma0,
        Cli.parseEnum(Trainer.Optimizer.class, "--optimizer", optimizer), seeds,
        recipe.profile(), recipe.epochs(), recipe.lr, recipe.gdLr, recipe.batch, recipe.weightDecay, recipe.symmetric,
        attackEps, tau, frozenContext, retrain, Cli.parseEnum(InfluenceJob.Switch.class, "--retrain-loo", retrainLoo),
        Cli.parseEnum(InfluenceJob.Switch.class, "--transductive", transductive), bootstrap, block);
  }

  @Override
  public Integer call() {
    InfluenceJob.Config config = config();
    boolean resuming = resume.resume(output);
    return Cli.withSpark("influence", spark -> {
      InfluenceJob.Result r = new InfluenceJob(config).resume(resuming).run(spark);
      InfluenceResult i = r.result();
      Cli.printFigures(r.out(), "task", i.task(), "n", i.n(), "n_test", i.nTest(), "lambda", i.lambda(), "kernel",
          i.kernel(), "influence_target", i.influenceTarget(), "k", i.k());
    });
  }
}
