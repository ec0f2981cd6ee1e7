package org.ntkstudy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ntkstudy.jobs.WidthSweepJob;
import org.ntkstudy.math.Model;
import org.ntkstudy.results.SweepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweep}: does Θ_m converge to H∞, and at what width (SCIENCE §3)? */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Width sweep: the empirical NTK at many widths and seeds against H_inf, aggregated per"
        + " width, with log-log fits and the extrapolated width m_hat(eps) (SCIENCE section 3).")
public final class SweepCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;
  @Mixin ResumeOption resume;

  @Option(names = "--models", defaultValue = "relu,attn", description = "relu,attn (default: ${DEFAULT-VALUE})")
  String models;

  @Option(names = "--widths", defaultValue = "4,8,16,32,64,128,256,512,1024,2048,4096",
      description = "widths m (default: ${DEFAULT-VALUE})")
  String widths;

  @Option(names = "--seeds", defaultValue = "5", description = "seeds per width (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--sigma0", defaultValue = "0.01", description = "initial scale of W (default: ${DEFAULT-VALUE})")
  double sigma0;

  @Option(names = "--lambda", defaultValue = "1e-3", description = "lambda_ridge (default: ${DEFAULT-VALUE})")
  double lambda;

  @Option(names = "--eps", defaultValue = "0.1", description = "target error of m_hat and m*_v1 (default: ${DEFAULT-VALUE})")
  double eps;

  @Option(names = "--tol", defaultValue = "1e-10", description = "rank tolerance of the thresholds (default: ${DEFAULT-VALUE})")
  double tol;

  @Option(names = "--fit-min-width", defaultValue = "64", description = "smallest width in the fits (default: ${DEFAULT-VALUE})")
  int fitMinWidth;

  @Option(names = "--block", defaultValue = "0", description = "block size of H_inf (default: automatic)")
  int block;

  @Option(names = "--partitions", defaultValue = "0", description = "tasks for the cells (default: one per cell)")
  int partitions;

  @Option(names = "--max-cell-mb", defaultValue = "2048", description = "memory one cell may use, MiB (default: ${DEFAULT-VALUE})")
  long maxCellMb;

  @Option(names = "--practical-width", defaultValue = "1e6",
      description = "C2's practical width in neurons: non-convergence holds when the e_W fit reaches 0.1 only past it"
          + " (SCIENCE section 7; default: ${DEFAULT-VALUE})")
  double practicalWidth;

  /** The job configuration these options describe (also used by the study job). */
  WidthSweepJob.Config config() {
    List<Model> ms = Cli.parseEnums(Model.class, "--models", models);
    List<Integer> ws = Cli.parseInts("--widths", widths);
    return new WidthSweepJob.Config(dataset.spec(), output.out, output.overwrite,
        output.npy, ms, ws, seeds, sigma0, lambda, eps, tol, fitMinWidth, block, partitions, maxCellMb << 20,
        practicalWidth);
  }

  @Override
  public Integer call() {
    WidthSweepJob.Config config = config();
    boolean resuming = resume.resume(output);
    return Cli.withSpark("sweep", spark -> {
      WidthSweepJob.Result r = new WidthSweepJob(config).resume(resuming).run(spark);
      StringBuilder t = new StringBuilder(String.format("%n  %-6s %-6s %8s %8s %12s%n", "model", "metric", "slope", "+-se", "m_hat(eps)"));
      SweepResult s = r.result();
      s.fits().forEach((model, byMetric) -> byMetric.forEach((metric, f) -> t.append(String.format(
          "  %-6s %-6s %8s %8s %12s%n", model, metric, fmt(f.slope()), fmt(f.slopeSe()), fmt(f.mHat())))));
      System.out.print(t);
      Cli.printFigures(r.out(), "n", s.n(), "n_test", s.nTest(), "seeds", s.seeds(), "widths", s.widths());
    });
  }

  private static String fmt(Object v) {
    return v instanceof Double d ? String.format("%.3g", d) : String.valueOf(v);
  }
}
