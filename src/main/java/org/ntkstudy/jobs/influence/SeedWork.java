package org.ntkstudy.jobs.influence;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.data.Task;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.spark.ModelInputs;

/**
 * What one (data, seed) task of the robustness job computes, in plain Java in the task's thread
 * (SCIENCE §5–§7): per model, train one network (as the influence job's network stage does,
 * {@link Networks#trainOne}), then per kernel (Θ_T, H∞) its clean closed-form influences in one
 * piece, and its malleability cells — every intervention, attack and attack radius, each with its
 * random-sign control ({@link MalleabilityStage#cell}, the influence job's cell) — returning the
 * per-example outcomes and the network's figures for the dual table. The network, and every
 * attack's perturbed rows, are computed once for all kernels and radii: only the influence
 * recomputations depend on the kernel ({@link InfluenceWork.SharedAttacks}).
 */
public final class SeedWork {
  private SeedWork() {}

  /**
   * What the tasks of one (dataset, input normalisation) share (broadcast once): per model (in
   * {@code config.models()} order) its setup and its clean model inputs (x, or x̃ for attn).
   *
   * @param k the top count k = ⌈τn⌉
   */
  public record Data(List<InfluenceWork.Setup> setups, List<Matrix> train, List<Matrix> test, int k)
      implements Serializable {
    public Data {
      setups = List.copyOf(setups);
      train = List.copyOf(train);
      test = List.copyOf(test);
    }
  }

  /**
   * One network's outcomes under one kernel: its clean total influences, its figures for the dual
   * table, and its malleability cells in the order of {@link MalleabilityStage#specs} with one clean
   * run, without the attacked images (kept small: the grid keeps every task's result).
   */
  public record ModelOutcome(long seed, double[] totals, double testAccuracy, double testLoss, double alignment,
      List<InfluenceWork.CellFigures> cells) implements Serializable {

    /** The clean run the malleability table and the dual table read (no weights: they are not needed). */
    CleanRun clean(int modelIndex) {
      return new CleanRun(modelIndex, new InfluenceWork.Net(seed, null, null), null, totals, testAccuracy, testLoss,
          alignment);
    }
  }

  /**
   * What one task returns: per kernel (in the job's kernel order), per model, the outcome of that
   * seed's network.
   */
  public record SeedOutcome(List<List<ModelOutcome>> byKernel) implements Serializable {}

  /**
   * The data of one (dataset, input normalisation) for the tasks: each model's inputs (computed as
   * the influence job computes them) and setup; {@code config}'s kernel is replaced per kernel by
   * the tasks.
   */
  public static Data prepare(JavaSparkContext jsc, InfluenceJob.Config config, StudyData data, int k, int block) {
    Trainer.Loss loss = loss(data);
    List<InfluenceWork.Setup> setups = new ArrayList<>();
    List<Matrix> train = new ArrayList<>();
    List<Matrix> test = new ArrayList<>();
    for (Model model : config.models()) {
      ModelInputs in = ModelInputs.of(jsc, model, data.train().inputs(), data.test().inputs(), block);
      setups.add(InfluenceWork.Setup.of(model, data, in, loss, config));
      train.add(in.train());
      test.add(in.test());
    }
    return new Data(setups, train, test, k);
  }

  /** The training loss of SCIENCE §4: MSE for two classes, cross-entropy for more. */
  public static Trainer.Loss loss(StudyData data) {
    return data.task() == Task.BINARY ? Trainer.Loss.MSE : Trainer.Loss.CROSS_ENTROPY;
  }

  /**
   * One seed: per kernel (in {@code kernels} order), per model, the outcome of the network trained
   * with {@code seed} — clean influences and every malleability cell of {@code config} (its models,
   * attacks, interventions and radii).
   */
  public static SeedOutcome run(InfluenceJob.Config config, List<InfluenceJob.KernelKind> kernels, Data data,
      long seed) {
    List<InfluenceWork.CellSpec> specs = MalleabilityStage.specs(config, 1);
    List<List<ModelOutcome>> out = new ArrayList<>();
    for (int ki = 0; ki < kernels.size(); ki++) {
      out.add(new ArrayList<>());
    }
    for (int mi = 0; mi < config.models().size(); mi++) {
      InfluenceWork.Setup base = data.setups().get(mi);
      InfluenceWork.Net net = Networks.trainOne(config, data.train().get(mi), base.y, base.loss, seed);
      List<InfluenceWork.Setup> setups = new ArrayList<>();
      List<CleanRun> cleans = new ArrayList<>();
      List<List<InfluenceWork.CellFigures>> cells = new ArrayList<>();
      for (InfluenceJob.KernelKind kernel : kernels) {
        InfluenceWork.Setup s = base.withKernel(kernel == InfluenceJob.KernelKind.EMPIRICAL);
        setups.add(s);
        cleans.add(clean(s, mi, net, data.train().get(mi), data.test().get(mi), config.target()));
        cells.add(new ArrayList<>());
      }
      InfluenceWork.SharedAttacks attacks = new InfluenceWork.SharedAttacks();
      for (InfluenceWork.CellSpec cs : specs) {
        for (int ki = 0; ki < kernels.size(); ki++) {
          InfluenceWork.CellFigures f = MalleabilityStage.cell(attacks, config, cs, cleans.get(ki), setups.get(ki),
              data.k());
          cells.get(ki).add(new InfluenceWork.CellFigures(f.flipRate(), f.spearman(), f.topkOverlap(),
              f.controlRandom(), f.evaluated(), null, null, f.flips(), f.controlFlips()));
        }
        attacks.clear();
      }
      for (int ki = 0; ki < kernels.size(); ki++) {
        CleanRun c = cleans.get(ki);
        out.get(ki).add(new ModelOutcome(seed, c.totals(), c.testAccuracy(), c.testLoss(), c.alignment(),
            cells.get(ki)));
      }
    }
    return new SeedOutcome(out);
  }

  /**
   * The clean run of one network in one piece (SCIENCE §5): K = Θ_T (packed activation patterns) or
   * H∞ on the model's inputs {@code x}, {@code xt}, B = (K + λI)⁻¹, the target spec from the kernel
   * predictions, the total influence of every training example; and the network's test accuracy,
   * test loss and Θ_T's alignment (SCIENCE §6).
   */
  static CleanRun clean(InfluenceWork.Setup s, int modelIndex, InfluenceWork.Net net, Matrix x, Matrix xt,
      Influence.Target target) {
    Matrix k;
    Matrix kc;
    if (s.empirical) {
      long[] d = NtkKernels.packedPattern(x, net.w());
      long[] dt = NtkKernels.packedPattern(xt, net.w());
      k = NtkKernels.empiricalNtkPacked(x, d, x, d, net.w().rows(), true);
      kc = NtkKernels.empiricalNtkPacked(xt, dt, x, d, net.w().rows(), false);
    } else {
      k = NtkKernels.analyticNtk(x, x, true);
      kc = NtkKernels.analyticNtk(xt, x, false);
    }
    double alignment = TrainingRun.alignment(s.empirical ? k : TrainingRun.ntk(x, net.w()), s.y);
    Influence inf = Influence.of(k, s.y, s.lambda);
    Influence.TargetSpec spec = Influence.TargetSpec.of(target, s.yTest, inf.predict(kc));
    double[] totals = Influence.totals(inf.matrix(kc, spec));
    Matrix ft = Trainer.outputs(xt, net.w(), net.a());
    return new CleanRun(modelIndex, net, spec, totals, TrainingRun.accuracy(ft, s.yTest), Trainer.loss(ft, s.yTest,
        s.loss), alignment);
  }

  /**
   * The malleability cells of all seeds of one kernel, in the influence job's order ({@link
   * MalleabilityStage#specs} over {@code cleans}, model-major then seed), from each seed's outcomes
   * ({@code outcomes}: seed index → model index → outcome).
   */
  public static List<InfluenceWork.CellFigures> figures(InfluenceJob.Config config,
      List<InfluenceWork.CellSpec> specs, List<List<ModelOutcome>> outcomes) {
    List<InfluenceWork.CellSpec> one = MalleabilityStage.specs(config, 1);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < one.size(); i++) {
      position.put(key(one.get(i)), i);
    }
    int seeds = outcomes.size();
    List<InfluenceWork.CellFigures> out = new ArrayList<>();
    for (InfluenceWork.CellSpec cs : specs) {
      ModelOutcome o = outcomes.get(cs.clean() % seeds).get(cs.clean() / seeds);
      out.add(o.cells().get(position.get(key(cs))));
    }
    return out;
  }

  /** The clean runs of all seeds of one kernel, model-major then seed (the influence job's order). */
  public static List<CleanRun> cleans(int models, List<List<ModelOutcome>> outcomes) {
    List<CleanRun> out = new ArrayList<>();
    for (int mi = 0; mi < models; mi++) {
      for (List<ModelOutcome> seed : outcomes) {
        out.add(seed.get(mi).clean(mi));
      }
    }
    return out;
  }

  /** The top count k = ⌈τn⌉ of {@code config} for {@code n} training examples. */
  public static int topCount(InfluenceJob.Config config, int n) {
    return Malleability.topCount(config.tau(), n);
  }

  private static String key(InfluenceWork.CellSpec cs) {
    return cs.attack() + "/" + cs.intervention() + "/" + cs.eps();
  }
}
