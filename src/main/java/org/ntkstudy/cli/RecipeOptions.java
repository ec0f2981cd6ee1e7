package org.ntkstudy.cli;

import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.math.TrainingProfile;
import picocli.CommandLine.Option;

/** The training recipe of SCIENCE §4, shared by {@code train} and {@code influence}. */
public final class RecipeOptions {
  @Option(names = "--profile", defaultValue = "paper", description = "paper (500 epochs) | quick (10) (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--epochs", defaultValue = "0", description = "epochs (default: the profile's)")
  int epochs;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--gd-lr", defaultValue = "0",
      description = "gradient descent's step (default: n / lambda_max(Theta_0), half the stability limit)")
  double gdLr;

  @Option(names = "--batch", defaultValue = "128", description = "Adam's minibatch (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--weight-decay", defaultValue = "1e-3", description = "coupled L2 lambda_wd (default: ${DEFAULT-VALUE})")
  double weightDecay;

  @Option(names = "--symmetric", description = "pair every neuron with its negated twin: f = 0 at initialisation")
  boolean symmetric;

  TrainingProfile profile() {
    return Cli.parseEnum(TrainingProfile.class, "--profile", profile);
  }
}
