package org.ntkstudy.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.SymmetricEigen;

/**
 * The spectrum of a Gram matrix ZZᵀ (n×n) of n rows of dimension d, by one of two routes that
 * give the same nonzero eigenvalues (SCIENCE §1): through the d×d Gramian ZᵀZ when n > d, padded
 * with the n − d zeros ZZᵀ then has exactly; or directly from the n×n matrix assembled from its
 * blocks when n is small enough.
 */
public final class GramSpectrum {
  /** How the spectrum is computed; AUTO takes the smaller eigenproblem. */
  public enum Route {
    AUTO,
    /** Eigenvalues of the n×n matrix assembled from its blocks. */
    GRAM,
    /** Eigenvalues of the d×d Gramian ZᵀZ, padded with zeros to n. */
    COVARIANCE
  }

  /**
   * A spectrum and the route that produced it.
   *
   * @param eigenvalues all n eigenvalues, descending
   */
  public record Result(Route route, double[] eigenvalues) {}

  private GramSpectrum() {}

  /** AUTO resolves to COVARIANCE when n > d (the smaller problem), else GRAM. */
  public static Route chooseRoute(Route route, int n, int d) {
    if (route != Route.AUTO) {
      return route;
    }
    return n > d ? Route.COVARIANCE : Route.GRAM;
  }

  /**
   * The spectrum of G (n×n) from whichever of its Gramian C (d×d) or dense form the route needs.
   *
   * @param gramian ZᵀZ (needed for COVARIANCE)
   * @param dense ZZᵀ assembled (needed for GRAM; may be null otherwise)
   */
  public static Result of(JavaSparkContext jsc, String group, String label, Route route, int n, int d,
      Matrix gramian, Matrix dense) {
    Route r = chooseRoute(route, n, d);
    if (r == Route.COVARIANCE) {
      double[] w = Stages.run(jsc, group, "eigenvalues of " + label + " through its " + d + "x" + d
          + " Gramian (LAPACK dsyevd)", () -> DriverBlas.allCores(jsc, () -> SymmetricEigen.values(gramian)));
      return new Result(r, fromGramian(w, n));
    }
    if (dense == null) {
      throw new IllegalStateException("the GRAM route needs the dense matrix");
    }
    return new Result(r, Stages.run(jsc, group, "eigenvalues of " + label + " (" + n + "x" + n
        + ", LAPACK dsyevd)", () -> DriverBlas.allCores(jsc, () -> SymmetricEigen.values(dense))));
  }

  /** The spectrum of ZZᵀ for rows Z held on the driver, computing what the route needs. */
  public static Result ofRows(JavaSparkContext jsc, String group, String label, Route route, Matrix z,
      int block, int partitions, long maxDriverBytes) {
    int n = z.rows();
    int d = z.cols();
    Route r = chooseRoute(route, n, d);
    BlockedRows rows = BlockedRows.broadcast(jsc, z, Math.min(block, n));
    try {
      if (r == Route.COVARIANCE) {
        Matrix c = Stages.run(jsc, group + "/gramian", label + ": Gramian over " + rows.grid().numBlocks()
            + " row blocks", rows::gramian);
        return of(jsc, group, label, r, n, d, c, null);
      }
      Matrix dense = Stages.run(jsc, group + "/blocks", label + ": " + rows.grid().numPairs()
          + " upper-triangle blocks, assembled on the driver",
          () -> BlockStore.collectSymmetric(rows.symmetricBlocks(BlockKernel.linear(), partitions),
              rows.grid(), maxDriverBytes));
      return of(jsc, group, label, r, n, d, null, dense);
    } finally {
      rows.release();
    }
  }

  /**
   * G's n eigenvalues from the d eigenvalues of its Gramian: the top min(n, d), then zeros (the
   * nonzero eigenvalues of ZZᵀ and ZᵀZ coincide; ZZᵀ has rank ≤ d).
   */
  public static double[] fromGramian(double[] gramianDesc, int n) {
    double[] out = new double[n];
    System.arraycopy(gramianDesc, 0, out, 0, Math.min(n, gramianDesc.length));
    return out;
  }
}
