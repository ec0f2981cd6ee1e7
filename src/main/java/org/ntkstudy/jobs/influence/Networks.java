package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.UserInputException;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.results.TrainResult;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The influence job's trained networks per model and seed: read from a {@code train} job's folder
 * ({@code --train-dir}) or trained here, one Spark task per (model, seed), with the recipe of
 * SCIENCE §4.
 */
public final class Networks {
  private static final Logger LOG = LoggerFactory.getLogger(Networks.class);

  private Networks() {}

  /** Per model (in {@code config.models()} order), its networks in seed order. */
  public static List<List<InfluenceWork.Net>> of(InfluenceContext ctx) {
    return ctx.config().trainDir() != null ? read(ctx) : train(ctx);
  }

  private static List<List<InfluenceWork.Net>> read(InfluenceContext ctx) {
    InfluenceJob.Config config = ctx.config();
    JavaSparkContext jsc = ctx.jsc();
    int d = ctx.data().d();
    int outputs = ctx.data().train().targets().cols();
    String opt = config.optimizer().name().toLowerCase(Locale.ROOT);
    List<List<InfluenceWork.Net>> out = new ArrayList<>();
    for (Model model : config.models()) {
      List<InfluenceWork.Net> nets = new ArrayList<>();
      for (int s = 0; s < config.seeds(); s++) {
        long seed = config.data().seed() + s;
        String dir = config.trainDir().replaceAll("/+$", "") + "/"
            + TrainResult.weightsDir(model.key(), config.sigma0(), opt, config.width(), seed);
        Matrix w;
        Matrix a;
        try {
          w = Npy.read(dir + "/W.npy", jsc.hadoopConfiguration());
          a = Npy.read(dir + "/a.npy", jsc.hadoopConfiguration());
        } catch (RuntimeException e) {
          throw new UserInputException("--train-dir: no trained network at " + dir + " (" + e.getMessage()
              + "); run `train` with --models " + model.key() + " --widths " + config.width() + " --sigma0 "
              + config.sigma0() + " --optimizers " + opt + " --seeds " + config.seeds() + " and the same dataset"
              + " options, or drop --train-dir to train here");
        }
        if (w.cols() != d || w.rows() != config.width() || a.rows() != w.rows() || a.cols() != outputs) {
          throw new UserInputException("--train-dir: " + dir + " holds W " + w.rows() + "x" + w.cols() + " and a "
              + a.rows() + "x" + a.cols() + ", expected " + config.width() + "x" + d + " and " + config.width() + "x"
              + outputs + " for this dataset");
        }
        nets.add(new InfluenceWork.Net(seed, w, a));
      }
      out.add(nets);
    }
    LOG.info("networks read from {}", config.trainDir());
    return out;
  }

  private static List<List<InfluenceWork.Net>> train(InfluenceContext ctx) {
    InfluenceJob.Config cfg = ctx.config();
    JavaSparkContext jsc = ctx.jsc();
    long base = cfg.data().seed();
    Trainer.Loss loss = ctx.loss();
    List<int[]> cells = new ArrayList<>();
    for (int mi = 0; mi < cfg.models().size(); mi++) {
      for (int s = 0; s < cfg.seeds(); s++) {
        cells.add(new int[] {mi, s});
      }
    }
    List<Broadcast<Matrix[]>> xs = new ArrayList<>();
    for (ModelInputs in : ctx.inputs()) {
      xs.add(jsc.broadcast(new Matrix[] {in.train(), ctx.data().train().targets()}));
    }
    int epochs = cfg.epochCount();
    List<InfluenceWork.Net> trained = Stages.run(jsc, "influence/networks", cells.size() + " networks (models x seeds), "
        + epochs + " epochs each", () -> jsc.parallelize(cells, cells.size()).map(c -> {
          Matrix[] xy = xs.get(c[0]).value();
          return trainOne(cfg, xy[0], xy[1], loss, base + c[1]);
        }).collect());
    List<List<InfluenceWork.Net>> out = new ArrayList<>();
    for (int mi = 0; mi < cfg.models().size(); mi++) {
      out.add(List.copyOf(trained.subList(mi * cfg.seeds(), (mi + 1) * cfg.seeds())));
    }
    xs.forEach(b -> b.unpersist(false));
    return out;
  }

  /**
   * One network of SCIENCE §4, trained in the calling thread: first layer and output signs drawn
   * with {@code seed} ({@code cfg}'s width, σ0, symmetry), then {@code cfg}'s recipe on the model's
   * clean training inputs {@code x} (x, or x̃ for attn) and targets {@code y}. The influence job's
   * network stage and the robustness job's (data, seed) tasks both train with it.
   */
  public static InfluenceWork.Net trainOne(InfluenceJob.Config cfg, Matrix x, Matrix y, Trainer.Loss loss, long seed) {
    int d = x.cols();
    Matrix w0 = TwoLayerNetwork.initial(cfg.width(), d, cfg.sigma0(), seed, cfg.symmetric()).weights();
    Matrix a = TrainingRun.signs(cfg.width(), y.cols(), cfg.sigma0(), d, seed, cfg.symmetric());
    TrainingRun.Recipe recipe = recipe(cfg, cfg.optimizer(), x, w0, cfg.weightDecay());
    return new InfluenceWork.Net(seed, InfluenceWork.train(x, y, w0, a, loss, recipe, seed), a);
  }

  /** The recipe of §4 for {@code optimizer}; gradient descent's step n/λmax(Θ_0) unless --gd-lr. */
  static TrainingRun.Recipe recipe(InfluenceJob.Config cfg, Trainer.Optimizer optimizer, Matrix x, Matrix w0,
      double weightDecay) {
    double lr = cfg.lr();
    if (optimizer == Trainer.Optimizer.GD) {
      lr = cfg.gdLr() > 0 ? cfg.gdLr() : x.rows() / SymmetricEigen.values(TrainingRun.ntk(x, w0))[0];
    }
    return new TrainingRun.Recipe(optimizer, cfg.epochCount(), lr, cfg.batch(), weightDecay);
  }
}
