package org.ntkstudy.math;

/**
 * The kernels of the two-layer ReLU network of SCIENCE §2, f(x) = (1/√m) Σ_r a_r relu(w_r·x) with
 * a_r = ±1 fixed and only W trained, on unit-norm inputs (x for {@code relu}, x̃ for {@code attn}).
 * Each method computes one block K(X_I, X_J) from the two row blocks; Spark only decides where.
 */
public final class NtkKernels {
  private static final double TWO_PI = 2 * Math.PI;

  private NtkKernels() {}

  /**
   * The infinite-width NTK H∞(x, x') = (x·x')(π − θ)/(2π), θ = arccos(clip(x·x', −1, 1)) (Du et al.;
   * the paper's Thm 4.2). On a diagonal block the diagonal uses θ = 0 exactly (the same example):
   * arccos near 1 loses half the digits (round-off 1e-8), which would bias every H∞_ii.
   */
  public static Matrix analyticNtk(Matrix xi, Matrix xj, boolean diagonal) {
    Matrix k = Blas.multiplyTransposed(xi, xj);
    double[] a = k.data();
    int cols = k.cols();
    for (int r = 0; r < k.rows(); r++) {
      for (int c = 0; c < cols; c++) {
        double u = a[r * cols + c];
        double theta = diagonal && r == c ? 0.0 : arccos(u);
        a[r * cols + c] = u * (Math.PI - theta) / TWO_PI;
      }
    }
    if (diagonal) {
      Blas.symmetrize(k);
    }
    return k;
  }

  /**
   * arccos(clip(u, −1, 1)) as atan2(√((1 − u)(1 + u)), u): within a few ulps of Math.acos (1 − u
   * and 1 + u are exact where they matter, near ±1) and 5× faster, since HotSpot's Math.acos is a
   * native call of about 250 ns, which made the 60,000² H∞ take 20 minutes in arccos alone.
   */
  public static double arccos(double u) {
    double c = Math.max(-1.0, Math.min(1.0, u));
    return Math.atan2(Math.sqrt((1.0 - c) * (1.0 + c)), c);
  }

  /**
   * The arc-cosine NNGP term added when both layers are trained (SCIENCE §2 variants):
   * σ0² (|x||x'|/2π)(sin θ + (π − θ) cos θ), which scales with the initialisation.
   */
  public static Matrix nngp(Matrix xi, Matrix xj, boolean diagonal, double sigma0) {
    Matrix k = Blas.multiplyTransposed(xi, xj);
    double[] ni = rowNorms(xi);
    double[] nj = rowNorms(xj);
    double[] a = k.data();
    int cols = k.cols();
    double s2 = sigma0 * sigma0;
    for (int r = 0; r < k.rows(); r++) {
      for (int c = 0; c < cols; c++) {
        double norms = ni[r] * nj[c];
        double cos = norms > 0 ? Math.max(-1.0, Math.min(1.0, a[r * cols + c] / norms)) : 0.0;
        double theta = diagonal && r == c ? 0.0 : arccos(cos);
        a[r * cols + c] = s2 * norms / TWO_PI * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
      }
    }
    if (diagonal) {
      Blas.symmetrize(k);
    }
    return k;
  }

  /**
   * The activation pattern D = 1[X Wᵀ > 0] (b×m, entries 0 or 1) of a row block for first-layer
   * weights W (m×d): computed once per row block and shared by all its block pairs.
   */
  public static Matrix activationPattern(Matrix x, Matrix w) {
    Matrix z = Blas.multiplyTransposed(x, w);
    double[] a = z.data();
    for (int k = 0; k < a.length; k++) {
      a[k] = a[k] > 0 ? 1.0 : 0.0;
    }
    return z;
  }

  /**
   * The empirical NTK block at width m by the structured formula of SCIENCE §2:
   * Θ_IJ = (X_I X_Jᵀ) ∘ (D_I D_Jᵀ) / m — two GEMMs and a Hadamard product, no Jacobian.
   * (a_r² = 1, so the kernel is the same for every output and does not depend on σ0.)
   */
  public static Matrix empiricalNtk(Matrix xi, Matrix di, Matrix xj, Matrix dj, boolean diagonal) {
    int m = di.cols();
    Matrix g = Blas.multiplyTransposed(xi, xj);
    Matrix s = Blas.multiplyTransposed(di, dj);
    double[] a = g.data();
    double[] b = s.data();
    double inv = 1.0 / m;
    for (int k = 0; k < a.length; k++) {
      a[k] *= b[k] * inv;
    }
    if (diagonal) {
      Blas.symmetrize(g);
    }
    return g;
  }

  /**
   * The activation pattern of a row block packed as bits: row r occupies words
   * [r·⌈m/64⌉, (r+1)·⌈m/64⌉), bit k of the row set when w_k·x_r > 0. An eighth of a byte per
   * entry, and D_I D_Jᵀ becomes a popcount of ANDs (exact integer counts).
   */
  public static long[] packedPattern(Matrix x, Matrix w) {
    Matrix z = Blas.multiplyTransposed(x, w);
    int m = w.rows();
    int words = (m + 63) >>> 6;
    long[] out = new long[x.rows() * words];
    double[] za = z.data();
    for (int r = 0; r < x.rows(); r++) {
      for (int k = 0; k < m; k++) {
        if (za[r * m + k] > 0) {
          out[r * words + (k >>> 6)] |= 1L << (k & 63);
        }
      }
    }
    return out;
  }

  /**
   * The empirical NTK block from packed patterns: Θ_IJ = (X_I X_Jᵀ) ∘ (D_I D_Jᵀ) / m with
   * (D_I D_Jᵀ)_ij = popcount(D_i AND D_j), the same numbers as {@link #empiricalNtk} (the counts are
   * exact either way) for a fraction of the work of the second GEMM.
   */
  public static Matrix empiricalNtkPacked(Matrix xi, long[] pi, Matrix xj, long[] pj, int m, boolean diagonal) {
    int words = (m + 63) >>> 6;
    Matrix g = Blas.multiplyTransposed(xi, xj);
    double[] a = g.data();
    int bi = xi.rows();
    int bj = xj.rows();
    double inv = 1.0 / m;
    for (int i = 0; i < bi; i++) {
      int oi = i * words;
      for (int j = diagonal ? i : 0; j < bj; j++) {
        int oj = j * words;
        int count = 0;
        for (int w = 0; w < words; w++) {
          count += Long.bitCount(pi[oi + w] & pj[oj + w]);
        }
        a[i * bj + j] *= count * inv;
      }
    }
    if (diagonal) {
      // The lower triangle from the upper: exactly symmetric.
      for (int i = 0; i < bi; i++) {
        for (int j = 0; j < i; j++) {
          a[i * bj + j] = a[j * bj + i];
        }
      }
    }
    return g;
  }

  /**
   * The empirical NTK block by the general route: the Jacobian of f with respect to W,
   * J_r(x) = a_r 1[w_r·x > 0] x / √m, contracted over chunks of {@code chunk} neurons,
   * Θ_IJ = Σ_chunks J_I J_Jᵀ. Slower than {@link #empiricalNtk}; it checks it, and serves variants
   * without that structure.
   *
   * @param signs a_r (length m)
   */
  public static Matrix jacobianNtk(Matrix xi, Matrix xj, Matrix w, double[] signs, int chunk, boolean diagonal) {
    int m = w.rows();
    int d = w.cols();
    if (signs.length != m) {
      throw new IllegalArgumentException(signs.length + " output signs for width " + m);
    }
    Matrix out = new Matrix(xi.rows(), xj.rows());
    for (int r0 = 0; r0 < m; r0 += chunk) {
      int r1 = Math.min(m, r0 + chunk);
      Matrix ji = jacobianChunk(xi, w, signs, r0, r1);
      Matrix jj = jacobianChunk(xj, w, signs, r0, r1);
      Blas.gemmNT(ji.data(), 0, ji.rows(), jj.data(), 0, jj.rows(), ji.cols(), out.data(), 1.0);
    }
    if (diagonal) {
      Blas.symmetrize(out);
    }
    return out;
  }

  /** Rows x, columns (neuron r ∈ [r0, r1), input coordinate): ∂f(x)/∂w_r. */
  static Matrix jacobianChunk(Matrix x, Matrix w, double[] signs, int r0, int r1) {
    int d = x.cols();
    int m = w.rows();
    double scale = 1.0 / Math.sqrt(m);
    Matrix j = new Matrix(x.rows(), (r1 - r0) * d);
    double[] xa = x.data();
    double[] wa = w.data();
    double[] ja = j.data();
    int width = (r1 - r0) * d;
    for (int i = 0; i < x.rows(); i++) {
      for (int r = r0; r < r1; r++) {
        double z = 0;
        for (int k = 0; k < d; k++) {
          z += wa[r * d + k] * xa[i * d + k];
        }
        if (z > 0) {
          double s = signs[r] * scale;
          int base = i * width + (r - r0) * d;
          for (int k = 0; k < d; k++) {
            ja[base + k] = s * xa[i * d + k];
          }
        }
      }
    }
    return j;
  }

  private static double[] rowNorms(Matrix x) {
    double[] out = new double[x.rows()];
    int d = x.cols();
    double[] a = x.data();
    for (int i = 0; i < out.length; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += a[i * d + k] * a[i * d + k];
      }
      out[i] = Math.sqrt(s);
    }
    return out;
  }
}
