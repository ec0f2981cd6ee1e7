package org.ntkstudy.math;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The adversarial perturbations of SCIENCE §5 step 2: FGSM, PGD and MIM in the pixel variable p,
 * inside the ℓ∞ ball of radius ε around the clean p0 and kept in [0, 1], ascending the trained
 * network's loss on the example through the whole {@link InputChain}; and the random-sign control
 * of §5.
 *
 * <p>Every iterate is projected (clipped) onto {|p − p0|∞ ≤ ε} ∩ [0, 1]^d, i.e. pixel j into
 * [max(0, p0_j − ε), min(1, p0_j + ε)]. Steps use sign(gradient) with sign(0) = 0. The attacks
 * return the last iterate (not the best one seen). If x would be undefined at an iterate — z(p) = 0
 * (SCIENCE §0.1); for {@code unit} the all-zero image, only possible when every p0_j ≤ ε — the
 * previous iterate is kept and the attack stops there. (With {@code unit} the loss is scale
 * invariant in p, so its gradient is orthogonal to p ≥ 0 and a plain sign step cannot zero every
 * pixel, up to round-off; only MIM's accumulated direction can.) The ball and the clip are in p for
 * every input normalisation; the normalisation's statistics are constants of the chain.
 * Deterministic for a given seed (only PGD draws random numbers).
 */
public final class Attacks {
  private Attacks() {}

  /** The attack. */
  public enum Kind {
    /** Fast gradient sign method: {@code steps} sign steps of α from p0 (default: one step of ε). */
    FGSM,
    /** Projected gradient descent (ascent): a uniform random start in the ball, then sign steps. */
    PGD,
    /** Momentum iterative method: sign steps on the accumulated L1-normalised gradient. */
    MIM;

    /** The name used in options, tables and keys: {@code fgsm}, {@code pgd} or {@code mim}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code name} (its {@link #key()}, case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the bad value and the allowed ones
     */
    public static Kind parse(String name) {
      if (name != null) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        for (Kind kind : values()) {
          if (kind.key().equals(k)) {
            return kind;
          }
        }
      }
      throw new IllegalArgumentException("unknown attack '" + name + "'; expected one of fgsm, pgd, mim");
    }
  }

  /**
   * An attack's settings.
   *
   * @param eps the ℓ∞ radius ε in pixel units (SCIENCE §5: 0.3)
   * @param steps number of gradient-sign steps
   * @param alpha step size α per step
   * @param momentum μ of MIM (ignored by FGSM and PGD)
   */
  public record Params(double eps, int steps, double alpha, double momentum) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Params {
      if (!(eps >= 0) || Double.isInfinite(eps)) {
        throw new IllegalArgumentException("eps must be finite and ≥ 0, got " + eps);
      }
      if (steps < 0) {
        throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
      }
      if (!(alpha >= 0) || Double.isInfinite(alpha)) {
        throw new IllegalArgumentException("alpha must be finite and ≥ 0, got " + alpha);
      }
      if (!(momentum >= 0) || Double.isInfinite(momentum)) {
        throw new IllegalArgumentException("momentum must be finite and ≥ 0, got " + momentum);
      }
    }

    /**
     * The SCIENCE §5 defaults: FGSM one step of ε; PGD 40 steps of α = 0.01 from a uniform random
     * start in the ε-ball (∩ [0, 1]); MIM 10 steps of α = ε/10 with momentum μ = 1 on the
     * L1-normalised gradient.
     */
    public static Params defaults(Kind kind, double eps) {
      switch (kind) {
        case FGSM:
          return new Params(eps, 1, eps, 0.0);
        case PGD:
          return new Params(eps, 40, 0.01, 0.0);
        case MIM:
          return new Params(eps, 10, eps / 10, 1.0);
        default:
          throw new IllegalArgumentException("unknown attack " + kind);
      }
    }
  }

  /**
   * The adversarial version of the example with clean pixels {@code p0} (values in [0, 1], not all
   * zero) and target {@code y}, ascending {@code chain}'s loss. {@code x0} is the example's clean
   * input x0 = z(p0)/|z(p0)| if it is in the attn context C0 (see {@link InputChain}), else null.
   * The ball, the clip to [0, 1] and the steps are in the pixel variable p whatever the input
   * normalisation (SCIENCE §5 step 2); the normalisation's statistics stay fixed.
   *
   * <ul>
   *   <li>FGSM: from p0, {@code steps} times p ← Π(p + α sign(∇L(p))) (defaults: once, α = ε);
   *   <li>PGD: from Π(p0 + U(−ε, ε)^d) (one uniform per pixel, in order, from
   *       SplittableRandom(seed); if x is undefined at that start — z = 0, for unit the all-zero
   *       image — from p0), the same steps;
   *   <li>MIM: from p0, g_acc ← μ g_acc + ∇L/‖∇L‖₁ (no normalisation when ‖∇L‖₁ = 0),
   *       p ← Π(p + α sign(g_acc)).
   * </ul>
   *
   * Π is the clip onto {|p − p0|∞ ≤ ε} ∩ [0, 1]^d. Returns a new array; p0 is not modified.
   *
   * @throws IllegalArgumentException when p0 has a pixel outside [0, 1], z(p0) = 0 (for unit: p0
   *     all zero), or shapes do not match
   * @throws ArithmeticException when the gradient is not finite
   */
  public static double[] perturb(Kind kind, Params params, InputChain chain, double[] p0, double[] y, double[] x0,
      long seed) {
    if (kind == null || params == null || chain == null) {
      throw new IllegalArgumentException("kind, params and chain are required");
    }
    int d = chain.dimension();
    checkPixels(p0, d, chain);
    double eps = params.eps();
    double[] lo = new double[d];
    double[] hi = new double[d];
    for (int j = 0; j < d; j++) {
      lo[j] = Math.max(0.0, p0[j] - eps);
      hi[j] = Math.min(1.0, p0[j] + eps);
    }
    double[] p = p0.clone();
    if (kind == Kind.PGD) {
      SplittableRandom rnd = new SplittableRandom(seed);
      double[] start = new double[d];
      for (int j = 0; j < d; j++) {
        start[j] = clip(p0[j] + (2 * rnd.nextDouble() - 1) * eps, lo[j], hi[j]);
      }
      if (chain.defined(start)) {
        p = start;
      }
    }
    InputChain.Workspace ws = chain.workspace();
    double[] g = new double[d];
    double[] acc = kind == Kind.MIM ? new double[d] : null;
    double[] next = new double[d];
    double alpha = params.alpha();
    double mu = params.momentum();
    for (int t = 0; t < params.steps(); t++) {
      chain.evaluate(p, y, x0, ws, g);
      double[] dir = g;
      if (kind == Kind.MIM) {
        double l1 = 0;
        for (int j = 0; j < d; j++) {
          l1 += Math.abs(g[j]);
        }
        requireFinite(l1);
        double inv = l1 > 0 ? 1.0 / l1 : 1.0;
        for (int j = 0; j < d; j++) {
          acc[j] = mu * acc[j] + g[j] * inv;
        }
        dir = acc;
      } else {
        double l1 = 0;
        for (int j = 0; j < d; j++) {
          l1 += Math.abs(g[j]);
        }
        requireFinite(l1);
      }
      for (int j = 0; j < d; j++) {
        next[j] = clip(p[j] + alpha * Math.signum(dir[j]), lo[j], hi[j]);
      }
      if (!chain.defined(next)) {
        break; // z = 0 (for unit the all-zero image) has no x = z/|z|: keep the previous iterate and stop
      }
      double[] swap = p;
      p = next;
      next = swap;
    }
    return p;
  }

  /**
   * The control of SCIENCE §5: p0 + ε·(a random ±1 per pixel, in order, from
   * SplittableRandom(seed)), clipped to [0, 1]. May be the all-zero image when every p0_j ≤ ε (the
   * chain then rejects it as SCIENCE §0 requires).
   */
  public static double[] randomSigns(double[] p0, double eps, long seed) {
    if (p0 == null) {
      throw new IllegalArgumentException("p0 is required");
    }
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be finite and ≥ 0, got " + eps);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] out = new double[p0.length];
    for (int j = 0; j < p0.length; j++) {
      double s = rnd.nextBoolean() ? 1.0 : -1.0;
      out[j] = clip(p0[j] + eps * s, 0.0, 1.0);
    }
    return out;
  }

  private static void checkPixels(double[] p0, int d, InputChain chain) {
    if (p0 == null || p0.length != d) {
      throw new IllegalArgumentException("clean pixels p0 must have length d = " + d + ", got "
          + (p0 == null ? "null" : String.valueOf(p0.length)));
    }
    for (int j = 0; j < d; j++) {
      if (!(p0[j] >= 0 && p0[j] <= 1)) {
        throw new IllegalArgumentException("pixel " + j + " of p0 is " + p0[j] + ", outside [0, 1]");
      }
    }
    if (!chain.defined(p0)) {
      throw new IllegalArgumentException(chain.inputNorm().zeroMessage());
    }
  }

  private static void requireFinite(double l1) {
    if (!(l1 <= Double.MAX_VALUE)) {
      throw new ArithmeticException("the loss gradient is not finite (‖g‖₁ = " + l1 + ")");
    }
  }

  private static double clip(double v, double lo, double hi) {
    return Math.min(hi, Math.max(lo, v));
  }
}
