package org.ntkstudy.cli;

import java.util.List;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import picocli.CommandLine.Option;

/** The malleability cells' options the influence and robustness jobs share (SCIENCE §5). */
public final class MalleabilityOptions {
  @Option(names = "--attacks", defaultValue = "fgsm,pgd,mim", description = "fgsm,pgd,mim (default: ${DEFAULT-VALUE})")
  String attacks;

  @Option(names = "--interventions", defaultValue = "transformed,curated,adversarial",
      description = "transformed,curated,adversarial (default: ${DEFAULT-VALUE})")
  String interventions;

  @Option(names = "--lambda", defaultValue = "1e-3", description = "lambda_ridge (default: ${DEFAULT-VALUE})")
  double lambda;

  @Option(names = "--influence-target", defaultValue = "margin", description = "margin | output (default: ${DEFAULT-VALUE})")
  String target;

  /** The attacks, each named in the error when it is not one. */
  List<Attacks.Kind> attacks() {
    return Cli.parseAttacks(attacks);
  }

  /** The interventions, trimmed and lower-cased. */
  List<String> interventions() {
    return Cli.parseList(interventions);
  }

  /** The influence target. */
  Influence.Target target() {
    return Cli.parseTarget(target);
  }
}
