package org.ntkstudy.jobs.influence;

import java.io.Serializable;
import java.util.Arrays;
import org.ntkstudy.data.Preprocess;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Attention;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.InputChain;
import org.ntkstudy.math.InputNorm;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;

/**
 * What one Spark task of the {@code influence} job computes, in plain Java on the task's own
 * thread (SCIENCE §5): the influences of a model's training examples recomputed from pixels —
 * after an intervention, with the trained first layer kept — and the malleability figures of one
 * (model, seed, attack, intervention) cell with its random-sign control.
 */
public final class InfluenceWork {
  private InfluenceWork() {}

  /** The interventions of SCIENCE §5. */
  public enum Intervention {
    /** The top k replaced by their adversarial versions. */
    TRANSFORMED,
    /** The top k removed; the figures over the next k and the survivors. */
    CURATED,
    /** Every training example attacked. */
    ADVERSARIAL
  }

  /** A model's data, shared by its cells (broadcast once per model). */
  public static final class Setup implements Serializable {
    private static final long serialVersionUID = 1L;
    final Model model;
    final Matrix pixels;
    final Matrix pixelsTest;
    /** Clean inputs x = z/|z| (train, test; SCIENCE §0.1). */
    final Matrix x;
    final Matrix xTest;
    /** Clean C = XᵀX (attn) or null. */
    final Matrix covariance;
    final Matrix y;
    final Matrix yTest;
    final Trainer.Loss loss;
    final double lambda;
    final boolean empirical;
    final boolean frozenContext;
    /**
     * The input normalisation with the clean training statistics (SCIENCE §0.1): every
     * recomputation from perturbed or curated pixels uses it unchanged.
     */
    final InputNorm norm;

    Setup(Model model, Matrix pixels, Matrix pixelsTest, Matrix x, Matrix xTest, Matrix covariance, Matrix y,
        Matrix yTest, Trainer.Loss loss, double lambda, boolean empirical, boolean frozenContext, InputNorm norm) {
      this.model = model;
      this.pixels = pixels;
      this.pixelsTest = pixelsTest;
      this.x = x;
      this.xTest = xTest;
      this.covariance = covariance;
      this.y = y;
      this.yTest = yTest;
      this.loss = loss;
      this.lambda = lambda;
      this.empirical = empirical;
      this.frozenContext = frozenContext;
      this.norm = norm;
    }

    /**
     * The setup of {@code model} for the run {@code config} on {@code data}: its pixels, clean inputs
     * and context ({@code in}), targets, loss, λ_ridge, kernel and attack chain options.
     */
    static Setup of(Model model, StudyData data, ModelInputs in, Trainer.Loss loss, InfluenceJob.Config config) {
      return new Setup(model, data.train().pixels(), data.test().pixels(), data.train().inputs(),
          data.test().inputs(), in.covariance(), data.train().targets(), data.test().targets(), loss, config.lambda(),
          config.kernel() == InfluenceJob.KernelKind.EMPIRICAL, config.frozenContext(), data.inputNorm());
    }

    int n() {
      return x.rows();
    }

    /** The same setup with the kernel Θ_T ({@code empirical}) or H∞: the robustness job's kernel axis. */
    Setup withKernel(boolean empirical) {
      return new Setup(model, pixels, pixelsTest, x, xTest, covariance, y, yTest, loss, lambda, empirical,
          frozenContext, norm);
    }
  }

  /**
   * A malleability cell: which clean (model, seed) run, the attack ({@code none} for curated), the
   * intervention, and the attack radius ε in pixels (NaN for curated, which attacks nothing).
   */
  public record CellSpec(int clean, String attack, String intervention, double eps) implements Serializable {}

  /** A trained network: first layer W_T (m×d) and output signs a (m×C). */
  public record Net(long seed, Matrix w, Matrix a) implements Serializable {}

  /**
   * {@code --retrain}: after an intervention the network is retrained from its initialisation w0
   * with the same recipe, and the kernel is that network's (SCIENCE §5 step 3, opt-in).
   */
  public record Retrain(Matrix w0, TrainingRun.Recipe recipe, long seed) implements Serializable {}

  /**
   * How a cell recomputes: {@link #LOCAL} inside one Spark task (the kernel fits a task), or
   * driven from the driver with every step spread over the executors (the tiled path past
   * {@code --max-driver-mb}).
   */
  interface Engine {
    /** As {@link InfluenceWork#perturbed}. */
    Matrix perturbed(Setup s, Net net, int[] examples, Attacks.Kind attack, Attacks.Params params, long seed);

    /** As {@link InfluenceWork#totals}. */
    double[] totals(Setup s, Matrix trainPixels, int[] keep, Matrix w, Influence.TargetSpec spec);
  }

  /** Everything in the calling thread. */
  static final Engine LOCAL = new Engine() {
    @Override
    public Matrix perturbed(Setup s, Net net, int[] examples, Attacks.Kind attack, Attacks.Params params, long seed) {
      return InfluenceWork.perturbed(s, net, examples, attack, params, seed);
    }

    @Override
    public double[] totals(Setup s, Matrix trainPixels, int[] keep, Matrix w, Influence.TargetSpec spec) {
      return InfluenceWork.totals(s, trainPixels, keep, w, spec);
    }
  };

  /**
   * Everything in the calling thread, every perturbed training row kept until {@link
   * SharedAttacks#clear}: one network's attack on example j (or its random-sign control) does not
   * depend on the other examples attacked nor on the kernel (SCIENCE §5: each example is attacked
   * against the clean data), so the cells of the kernels Θ_T and H∞ that attack the same examples of
   * the same network with the same attack, radius and seed compute each perturbed row once — with
   * the numbers of {@link #LOCAL}. One instance per network.
   */
  static final class SharedAttacks implements Engine {
    private final java.util.Map<String, double[]> rows = new java.util.HashMap<>();

    /** Forgets the kept rows (between attacks or radii: they will not be asked for again). */
    void clear() {
      rows.clear();
    }

    @Override
    public Matrix perturbed(Setup s, Net net, int[] examples, Attacks.Kind attack, Attacks.Params params, long seed) {
      String prefix = (attack == null ? "signs" : attack.key()) + "/" + params + "/" + seed + "/";
      int[] missing = Arrays.stream(examples).filter(j -> !rows.containsKey(prefix + j)).toArray();
      if (missing.length > 0) {
        Matrix q = perturbedRows(s, net, missing, attack, params, seed);
        int d = q.cols();
        for (int r = 0; r < missing.length; r++) {
          rows.put(prefix + missing[r], Arrays.copyOfRange(q.data(), r * d, (r + 1) * d));
        }
      }
      Matrix p = s.pixels.copy();
      int d = p.cols();
      for (int j : examples) {
        System.arraycopy(rows.get(prefix + j), 0, p.data(), j * d, d);
      }
      return p;
    }

    @Override
    public double[] totals(Setup s, Matrix trainPixels, int[] keep, Matrix w, Influence.TargetSpec spec) {
      return InfluenceWork.totals(s, trainPixels, keep, w, spec);
    }
  }

  /**
   * The figures of one cell (NaN where a figure does not apply) and its paired per-example outcomes
   * (SCIENCE §5's effect over noise): for each of the {@code evaluated} examples — the top k in rank
   * order (curated: the next k) — whether the intervention flipped the sign of its influence
   * (I_i · I'_i &lt; 0), and whether the random ±ε sign control on the same examples with the same
   * seed did ({@code controlFlips} null for curated, which has no control).
   */
  public record CellFigures(double flipRate, double spearman, double topkOverlap, double controlRandom, int evaluated,
      Matrix topAttacked, double[] topAfter, boolean[] flips, boolean[] controlFlips) implements Serializable {}

  /**
   * Total influences I_i (one per kept training example, in kept order) with the training pixels
   * {@code trainPixels} (rows {@code keep} only, or all when null): inputs, for attn the context C
   * and every attended feature, the kernel (Θ of first layer {@code w}, or H∞), B, and the
   * influences recomputed from scratch.
   */
  static double[] totals(Setup s, Matrix trainPixels, int[] keep, Matrix w, Influence.TargetSpec spec) {
    Matrix p = keep == null ? trainPixels : trainPixels.selectRows(keep);
    Matrix y = keep == null ? s.y : s.y.selectRows(keep);
    Matrix[] z = modelInputs(s, p);
    Matrix x = z[0];
    Matrix xt = z[1];
    Matrix k;
    Matrix kc;
    if (s.empirical) {
      long[] d = NtkKernels.packedPattern(x, w);
      long[] dt = NtkKernels.packedPattern(xt, w);
      k = NtkKernels.empiricalNtkPacked(x, d, x, d, w.rows(), true);
      kc = NtkKernels.empiricalNtkPacked(xt, dt, x, d, w.rows(), false);
    } else {
      k = NtkKernels.analyticNtk(x, x, true);
      kc = NtkKernels.analyticNtk(xt, x, false);
    }
    Influence inf = Influence.of(k, y, s.lambda);
    return Influence.totals(inf.matrix(kc, spec));
  }

  /** The attack's input chain for this model and network (SCIENCE §5 step 2). */
  static InputChain chain(Setup s, Net net) {
    return s.model == Model.ATTN
        ? InputChain.attn(net.w(), net.a(), s.loss, s.covariance, s.frozenContext, s.norm)
        : InputChain.relu(net.w(), net.a(), s.loss, s.norm);
  }

  /**
   * The training pixels with {@code examples} attacked (each against the clean data: the others
   * unperturbed, C the clean context), or with random ±ε signs when {@code attack} is null.
   */
  static Matrix perturbed(Setup s, Net net, int[] examples, Attacks.Kind attack, Attacks.Params params, long seed) {
    Matrix p = s.pixels.copy();
    Matrix q = perturbedRows(s, net, examples, attack, params, seed);
    int d = p.cols();
    for (int r = 0; r < examples.length; r++) {
      System.arraycopy(q.data(), r * d, p.data(), examples[r] * d, d);
    }
    return p;
  }

  /** The perturbed pixels of {@code examples} alone (one row each, in that order), as {@link #perturbed}. */
  static Matrix perturbedRows(Setup s, Net net, int[] examples, Attacks.Kind attack, Attacks.Params params,
      long seed) {
    int d = s.pixels.cols();
    Matrix out = new Matrix(examples.length, d);
    InputChain chain = attack == null ? null : chain(s, net);
    for (int r = 0; r < examples.length; r++) {
      int j = examples[r];
      double[] p0 = Arrays.copyOfRange(s.pixels.data(), j * d, (j + 1) * d);
      long exampleSeed = seed * 1_000_003L + j;
      double[] q;
      if (attack == null) {
        q = Attacks.randomSigns(p0, params.eps(), exampleSeed);
      } else {
        double[] yj = Arrays.copyOfRange(s.y.data(), j * s.y.cols(), (j + 1) * s.y.cols());
        double[] x0 = Arrays.copyOfRange(s.x.data(), j * d, (j + 1) * d);
        q = Attacks.perturb(attack, params, chain, p0, yj, x0, exampleSeed);
      }
      System.arraycopy(q, 0, out.data(), r * d, d);
    }
    return out;
  }

  /**
   * One cell of §5 with the recomputations done by {@code engine}: {@code before} are the clean
   * totals, {@code ranking} all examples by |I_i| (ties by index), k = ⌈τn⌉.
   */
  static CellFigures cell(Engine engine, Setup s, Net net, Intervention intervention, Attacks.Kind attack,
      Attacks.Params params, double[] before, int[] ranking, int k, Influence.TargetSpec spec, long seed,
      Retrain retrain) {
    int n = s.n();
    int[] top = Arrays.copyOf(ranking, k);
    switch (intervention) {
      case TRANSFORMED, ADVERSARIAL -> {
        int[] attacked = intervention == Intervention.TRANSFORMED ? top : allIndices(n);
        Matrix pa = engine.perturbed(s, net, attacked, attack, params, seed);
        Matrix pc = engine.perturbed(s, net, attacked, null, params, seed);
        double[] after = engine.totals(s, pa, null, weights(s, net, pa, null, retrain), spec);
        double[] control = engine.totals(s, pc, null, weights(s, net, pc, null, retrain), spec);
        double[] topAfter = new double[k];
        for (int q = 0; q < k; q++) {
          topAfter[q] = after[top[q]];
        }
        return new CellFigures(Malleability.flipRate(before, after, top), Malleability.spearman(before, after),
            Malleability.topKOverlap(before, after, k), Malleability.flipRate(before, control, top), k,
            pa.selectRows(top), topAfter, Malleability.flips(before, after, top),
            Malleability.flips(before, control, top));
      }
      case CURATED -> {
        boolean[] removed = new boolean[n];
        for (int i : top) {
          removed[i] = true;
        }
        int[] keep = new int[n - k];
        int[] position = new int[n];
        Arrays.fill(position, -1);
        for (int i = 0, q = 0; i < n; i++) {
          if (!removed[i]) {
            position[i] = q;
            keep[q++] = i;
          }
        }
        if (keep.length == 0) {
          throw new IllegalStateException("curating removes every training example (k = n = " + n + ")");
        }
        double[] afterKept = engine.totals(s, s.pixels, keep, weights(s, net, s.pixels, keep, retrain), spec);
        // Figures in the survivors' index space: before restricted to them, and the next k.
        double[] beforeKept = new double[keep.length];
        for (int q = 0; q < keep.length; q++) {
          beforeKept[q] = before[keep[q]];
        }
        int next = Math.min(k, keep.length);
        int[] nextK = new int[next];
        for (int r = 0; r < next; r++) {
          nextK[r] = position[ranking[k + r]];
        }
        return new CellFigures(Malleability.flipRate(beforeKept, afterKept, nextK),
            Malleability.spearman(beforeKept, afterKept), Malleability.topKOverlap(beforeKept, afterKept, next),
            Double.NaN, next, null, null, Malleability.flips(beforeKept, afterKept, nextK), null);
      }
      default -> throw new IllegalArgumentException(intervention.toString());
    }
  }

  /** The first layer the recomputed kernel uses: the trained W_T, or with --retrain a network retrained on the new data. */
  static Matrix weights(Setup s, Net net, Matrix trainPixels, int[] keep, Retrain retrain) {
    if (retrain == null) {
      return net.w();
    }
    Matrix p = keep == null ? trainPixels : trainPixels.selectRows(keep);
    Matrix y = keep == null ? s.y : s.y.selectRows(keep);
    return train(modelInputs(s, p)[0], y, retrain.w0(), net.a(), s.loss, retrain.recipe(), retrain.seed());
  }

  static int[] allIndices(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /**
   * The model's inputs for the network: x, or x̃ with the context of these training pixels; x =
   * z/|z| with the clean training statistics of {@code s.norm}, never statistics of these pixels
   * (SCIENCE §0.1).
   */
  static Matrix[] modelInputs(Setup s, Matrix trainPixels) {
    Matrix x = Preprocess.normalize(s.norm, trainPixels);
    if (s.model == Model.RELU) {
      return new Matrix[] {x, s.xTest};
    }
    Matrix c = Blas.multiplyTransposeLeft(x, x);
    Blas.symmetrize(c);
    return new Matrix[] {Attention.attend(x, c, 0), Attention.attend(s.xTest, c, 0)};
  }

  /** Trains a network from (w0, a) on {@code inputs} with {@code recipe} (SCIENCE §4), returning W_T. */
  static Matrix train(Matrix inputs, Matrix y, Matrix w0, Matrix a, Trainer.Loss loss, TrainingRun.Recipe recipe,
      long seed) {
    Matrix w = w0.copy();
    Trainer.Adam adam = new Trainer.Adam(w.data().length);
    for (int e = 1; e <= recipe.epochs(); e++) {
      TrainingRun.epochUpdates(inputs, y, w, a, loss, recipe, seed, e, adam);
    }
    return w;
  }
}
