package org.ntkstudy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.results.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: the finite-width networks over a distributed grid (SCIENCE §4). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains the two-layer networks over the grid models x widths x sigma0 x optimizers x seeds, one"
        + " network per Spark task, and records curves, NTK distance, kernel movement and alignment (SCIENCE 4).")
public final class TrainCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;
  @Mixin ResumeOption resume;
  @Mixin RecipeOptions recipe;

  @Option(names = "--models", defaultValue = "relu,attn", description = "relu,attn (default: ${DEFAULT-VALUE})")
  String models;

  @Option(names = "--widths", defaultValue = "16,1024,4096", description = "widths m (default: ${DEFAULT-VALUE})")
  String widths;

  @Option(names = "--sigma0", defaultValue = "0.01", description = "initial scales, comma-separated (default: ${DEFAULT-VALUE})")
  String sigma0;

  @Option(names = "--optimizers", defaultValue = "adam", description = "adam,gd (default: ${DEFAULT-VALUE})")
  String optimizers;

  @Option(names = "--seeds", defaultValue = "3", description = "seeds per cell (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--init-weights", paramLabel = "W.npy", description = "initial W (m x d) instead of the seeded draw")
  String initWeights;

  @Option(names = "--init-signs", paramLabel = "a.npy", description = "output signs (m, or m x outputs)")
  String initSigns;

  @Option(names = "--lambda", defaultValue = "1e-3", description = "lambda_ridge of f_NTK (default: ${DEFAULT-VALUE})")
  double lambda;

  @Option(names = "--block", defaultValue = "0", description = "block size of H_inf (default: automatic)")
  int block;

  @Option(names = "--partitions", defaultValue = "0", description = "tasks for the networks (default: one per network)")
  int partitions;

  /** The job configuration these options describe (also used by the study job). */
  TrainJob.Config config() {
    List<Model> ms = Cli.parseEnums(Model.class, "--models", models);
    List<Trainer.Optimizer> os = Cli.parseEnums(Trainer.Optimizer.class, "--optimizers", optimizers);
    return new TrainJob.Config(dataset.spec(), output.out, output.overwrite, ms,
        Cli.parseInts("--widths", widths), Cli.parseDoubles("--sigma0", sigma0), os, seeds, recipe.profile(), recipe.epochs(),
        recipe.lr, recipe.gdLr, recipe.batch, recipe.weightDecay, recipe.symmetric, initWeights, initSigns, lambda, block, partitions);
  }

  @Override
  public Integer call() {
    TrainJob.Config config = config();
    boolean resuming = resume.resume(output);
    return Cli.withSpark("train", spark -> {
      TrainJob.Result r = new TrainJob(config).resume(resuming).run(spark);
      TrainResult t = r.result();
      Cli.printFigures(r.out(), "task", t.task(), "loss", t.loss(), "n", t.n(), "n_test", t.nTest(),
          "epochs", t.epochs(), "cells", t.cells());
    });
  }
}
