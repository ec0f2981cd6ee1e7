package org.ntkstudy.cli;

import java.util.concurrent.Callable;
import org.ntkstudy.jobs.KernelJob;
import org.ntkstudy.math.Model;
import org.ntkstudy.results.KernelResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kernel}: H∞ or the empirical Θ_m of a model, train×train and test×train, in blocks. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
    description = "The analytic NTK H_inf or the empirical NTK Theta_m of the relu or attn model"
        + " (SCIENCE section 2), train x train and test x train, in blocks across executors.")
public final class KernelCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;

  @Option(names = "--model", defaultValue = "relu", description = "relu | attn (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--kind", defaultValue = "analytic", description = "analytic | empirical (default: ${DEFAULT-VALUE})")
  String kind;

  @Option(names = "--width", defaultValue = "1024", description = "width m of the empirical NTK (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--sigma0", defaultValue = "0.01", description = "initial scale of W (default: ${DEFAULT-VALUE})")
  double sigma0;

  @Option(names = "--init-weights", paramLabel = "W.npy", description = "first-layer weights (m x d .npy) instead of the seeded draw")
  String initWeights;

  @Option(names = "--block", defaultValue = "0", description = "block size in rows (default: chosen from task memory)")
  int block;

  @Option(names = "--partitions", defaultValue = "0", description = "tasks for the block pairs (default: 3 per core, at most 16 pairs per task)")
  int partitions;

  @Option(names = "--top-k", defaultValue = "20",
      description = "report the top-k eigenvalues (from the full spectrum when K fits the driver, else by block"
          + " Lanczos over the blocks on disk) (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(names = "--lanczos", description = "compute the top-k by block Lanczos over the blocks on disk even when K fits")
  boolean lanczos;

  @Override
  public Integer call() {
    // The analytic H-inf has no width, but a width of 0 given by hand is a mistake either way.
    org.ntkstudy.UserInputException.requirePositive("--width", width);
    KernelJob.Config config = new KernelJob.Config(dataset.spec(), output.out, output.overwrite, output.npy,
        Cli.parseEnum(Model.class, "--model", model), Cli.parseEnum(KernelJob.Kind.class, "--kind", kind),
        width, sigma0, initWeights, block, partitions, output.maxDriverBytes(), topK, lanczos);
    return Cli.withSpark("kernel", spark -> {
      KernelJob.Result r = new KernelJob(config).run(spark);
      KernelResult k = r.result();
      Cli.printFigures(r.out(), "model", k.model(), "kind", k.kind(), "width", k.width(), "n", k.n(),
          "n_test", k.nTest(), "trace", k.trace(), "frobenius", k.frobenius(), "lambda_max", k.lambdaMax(),
          "lambda_min", k.lambdaMin(), "kappa", k.kappa());
    });
  }
}
