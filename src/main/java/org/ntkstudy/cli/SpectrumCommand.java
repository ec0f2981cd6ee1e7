package org.ntkstudy.cli;

import java.util.concurrent.Callable;
import org.ntkstudy.jobs.SpectrumJob;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.spark.GramSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spectrum}: the Gram and attention spectra and condition numbers of SCIENCE §1. */
@Command(name = "spectrum", mixinStandardHelpOptions = true,
    description = "Spectra of G = XX^T, G^3 and the attended X~X~^T, with every condition number and"
        + " width threshold of SCIENCE section 1.")
public final class SpectrumCommand implements Callable<Integer> {
  @Mixin DatasetOptions dataset;
  @Mixin OutputOptions output;

  @Option(names = "--block", defaultValue = "0",
      description = "block size in rows (default: chosen from the task memory)")
  int block;

  @Option(names = "--partitions", defaultValue = "0",
      description = "tasks for the block pairs (default: 3 per core, at most 16 pairs per task)")
  int partitions;

  @Option(names = "--tol", defaultValue = "1e-10", description = "relative rank tolerance (default: ${DEFAULT-VALUE})")
  double tol;

  @Option(names = "--eps", defaultValue = "0.1", description = "target error of m*_v1 (default: ${DEFAULT-VALUE})")
  double eps;

  @Option(names = "--lambda", defaultValue = "1e-3", description = "lambda_ridge (default: ${DEFAULT-VALUE})")
  double lambda;

  @Option(names = "--route", defaultValue = "auto",
      description = "auto | gram | covariance: how G's spectrum is computed (default: ${DEFAULT-VALUE})")
  String route;

  /** The job configuration these options describe (also used by the study job). */
  SpectrumJob.Config config() {
    return new SpectrumJob.Config(dataset.spec(), output.out, output.overwrite, output.npy,
        block, partitions, tol, eps, lambda, Cli.parseEnum(GramSpectrum.Route.class, "--route", route),
        output.maxDriverBytes());
  }

  @Override
  public Integer call() {
    SpectrumJob.Config config = config();
    return Cli.withSpark("spectrum", spark -> {
      SpectrumJob.Result r = new SpectrumJob(config).run(spark);
      SpectrumResult s = r.result();
      Cli.printFigures(r.out(), "n", s.n(), "d", s.d(), "lambda_max", s.lambdaMax(), "rank_tol", s.rankTol(),
          "kappa_tol", s.kappaTol(), "kappa_d", s.kappaD(), "kappa_d_status", s.kappaDStatus(),
          "kappa_ridge", s.kappaRidge(), "kappa_cubed", s.kappaCubed(), "kappa_10_G", s.kappaK(10, "G"),
          "kappa_10_attn", s.kappaK(10, "attn"), "log10_m_star_v1", s.log10MStarV1(),
          "log10_m_star_v2", s.log10MStarV2());
    });
  }
}
