package org.ntkstudy.jobs.influence;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.spark.TaskMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where K + λI is factorised (SCIENCE §5): the driver's LAPACK while K + λI and its inverse fit
 * {@code --max-driver-mb}; past it the tiled Cholesky and inverse across the executors
 * ({@link org.ntkstudy.spark.TiledInfluence}), whose driver share is K*, P = K* Mᵀ and one strip of
 * tiles.
 *
 * @param tile the tiled path's tile size, or 0 when K + λI is factorised on the driver
 */
public record Factorisation(int tile) {
  private static final Logger LOG = LoggerFactory.getLogger(Factorisation.class);

  /** The tile size the tiled path uses by default (GEMMs of this size run near peak)... */
  private static final int TILE_DEFAULT = 1024;
  /** ...and the smallest it picks when executor memory is short (below it the steps dominate). */
  private static final int TILE_MIN = 256;

  /**
   * The factorisation for n training and {@code nt} test points under {@code config}'s budget;
   * refuses, past the budget, the options that need the n×n kernel in one task. The log says which
   * and why.
   */
  public static Factorisation choose(SparkSession spark, InfluenceJob.Config config, int n, int nt) {
    long budget = config.maxDriverBytes();
    long driverBytes = 8L * n * n * 2 + 8L * n * nt * 2;
    if (driverBytes <= budget) {
      LOG.info("influence: Cholesky + inverse of K + lambda I (n = {}) on the driver with LAPACK: {} MiB, within the"
          + " driver budget of {} MiB (--max-driver-mb)", n, driverBytes >> 20, budget >> 20);
      return new Factorisation(0);
    }
    // A task holds about four T×n strips (its own, the inverse's accumulators, the broadcast one
    // and its output): by default the largest tile up to 1024 that fits half a task's memory.
    long taskShare = TaskMemory.taskShare(spark);
    int byMemory = (int) Math.min(Integer.MAX_VALUE, taskShare / 2 / (4L * 8 * n));
    int t = config.block() > 0 ? Math.min(config.block(), n)
        : Math.min(n, Math.max(TILE_MIN, Math.min(TILE_DEFAULT, byMemory)));
    if (4L * 8 * t * n > taskShare) {
      LOG.warn("tiled factorisation: a task holds about {} MiB ({}-row tiles, n = {}), more than its {} MiB share"
          + " of executor memory; give the executors more memory or fewer cores, or a smaller --block",
          (4L * 8 * t * n) >> 20, t, n, taskShare >> 20);
    }
    // The driver's peak: K*, K*ᵀ and its broadcast, P = K* Mᵀ (and the influence matrix for --npy);
    // two strips (the broadcast one and the incoming one), each also as serialised bytes.
    long tiledBytes = 8L * n * nt * (config.npy() ? 5 : 4) + 8L * 4 * t * n;
    if (tiledBytes > budget) {
      throw new UserInputException(String.format(Locale.ROOT,
          "the influence needs about %d MiB on the driver even with the tiled factorisation (n = %d, n_test = %d:"
              + " the test x train kernel, its transpose, K* M^T%s and two %d-row strips with their bytes), over"
              + " --max-driver-mb %d;"
              + " lower --n-test, --block or raise --max-driver-mb",
          tiledBytes >> 20, n, nt, config.npy() ? ", the influence matrix for --npy" : "", t, budget >> 20));
    }
    for (String[] opt : new String[][] {{"transductive", config.transductive().name()},
        {"retrain-loo", config.retrainLoo().name()}}) {
      if (opt[1].equals("ON")) {
        throw new UserInputException("--" + opt[0] + " on needs the n x n kernel in one task, but K + lambda I (n = "
            + n + ", " + (driverBytes >> 20) + " MiB with its inverse) exceeds --max-driver-mb " + (budget >> 20)
            + "; use --" + opt[0] + " auto/off or a smaller --n");
      }
    }
    if (config.retrain()) {
      throw new UserInputException("--retrain retrains a network per malleability cell in one task; with n = " + n
          + " past --max-driver-mb " + (budget >> 20) + " drop --retrain or raise --max-driver-mb");
    }
    if (config.trainDir() == null && config.optimizer() == Trainer.Optimizer.GD && config.gdLr() <= 0) {
      throw new UserInputException("--optimizer gd without --gd-lr takes its step from lambda_max of the n x n"
          + " Theta_0 in one task; with n = " + n + " past --max-driver-mb " + (budget >> 20) + " give --gd-lr, or"
          + " train with `train` and pass --train-dir");
    }
    int strips = (n + t - 1) / t;
    LOG.info("influence: K + lambda I (n = {}) and its inverse need {} MiB, over the driver budget of {} MiB"
        + " (--max-driver-mb): tiled Cholesky and triangular inverse across the executors, {} x {} tiles in {} row"
        + " strips ({} Spark jobs per factorisation); the driver holds about {} MiB", n, driverBytes >> 20,
        budget >> 20, t, t, strips, 2 * strips, tiledBytes >> 20);
    return new Factorisation(t);
  }

  /** True past the driver budget: every kernel of the job is factorised in tiles across the executors. */
  public boolean tiled() {
    return tile > 0;
  }

  /** What {@code summary.json} → {@code factorisation} says. */
  public String description() {
    return tiled()
        ? "tiled Cholesky + triangular inverse across the executors (" + tile + " x " + tile + " tiles)"
        : "Cholesky (LAPACK dpotrf + dpotri) on the driver";
  }
}
