package org.ntkstudy.cli;

import org.ntkstudy.UserInputException;
import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.math.TrainingProfile;
import picocli.CommandLine.Option;

/** The training recipe of SCIENCE §4, shared by {@code train} and {@code influence}. */
public final class RecipeOptions {
  @Option(names = "--profile", defaultValue = "paper", description = "paper (500 epochs) | quick (10) (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--epochs", description = "epochs, at least 1 (default: the profile's)")
  Integer epochs;

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

  /** The epochs given, at least 1, or 0 for the profile's when none was given. */
  int epochs() {
    if (epochs == null) {
      return 0;
    }
    if (epochs < 1) {
      throw new UserInputException("--epochs must be at least 1, got " + epochs + " (leave it out for the profile's "
          + profile().epochs() + ")");
    }
    return epochs;
  }

  TrainingProfile profile() {
    return Cli.parseEnum(TrainingProfile.class, "--profile", profile);
  }
}
