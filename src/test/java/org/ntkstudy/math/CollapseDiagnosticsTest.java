package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The collapse diagnostics of SCIENCE §6 against direct computations. */
class CollapseDiagnosticsTest {
  private static Matrix unitRows(int n, int d, double offset, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Matrix m = new Matrix(n, d);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double v = offset + r.nextDouble();
        m.set(i, j, v);
        s += v * v;
      }
      for (int j = 0; j < d; j++) {
        m.set(i, j, m.get(i, j) / Math.sqrt(s));
      }
    }
    return m;
  }

  private static Matrix attended(Matrix x) {
    Matrix c = Blas.multiplyTransposeLeft(x, x);
    Blas.symmetrize(c);
    return Attention.attend(x, c, 0);
  }

  @Test
  void figuresEqualADirectComputation() {
    Matrix x = unitRows(40, 6, 0.0, 1);
    Matrix xt = attended(x);
    CollapseDiagnostics c = CollapseDiagnostics.of(x, xt);

    // λ1(C)/tr(C) by power iteration on C = XᵀX, tr(C) = Σ|x_i|² = n for unit rows.
    Matrix cm = Blas.multiplyTransposeLeft(x, x);
    double[] v = {1, 1, 1, 1, 1, 1};
    double lambda = 0;
    for (int it = 0; it < 2000; it++) {
      double[] w = new double[6];
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
          w[i] += cm.get(i, j) * v[j];
        }
      }
      double norm = Math.sqrt(java.util.Arrays.stream(w).map(q -> q * q).sum());
      lambda = norm;
      for (int i = 0; i < 6; i++) {
        v[i] = w[i] / norm;
      }
    }
    assertEquals(lambda / 40, c.topShare(), 1e-10);

    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 40; i++) {
      for (int j = i + 1; j < 40; j++) {
        double dot = 0;
        for (int k = 0; k < 6; k++) {
          dot += xt.get(i, k) * xt.get(j, k);
        }
        min = Math.min(min, dot);
      }
    }
    assertEquals(min, c.minCosine(), 1e-12);
    assertEquals(40, c.rows());
    assertTrue(c.meanAlignment() > 0 && c.meanAlignment() <= 1 + 1e-12);
  }

  @Test
  void nonNegativeInputsCollapseAndCentredOnesDoNot() {
    // Pixels in [0, 1] share a large common direction: C's top eigenvalue dominates (SCIENCE §0.1).
    Matrix positive = unitRows(200, 20, 0.5, 2);
    CollapseDiagnostics p = CollapseDiagnostics.of(positive, attended(positive));
    assertTrue(p.topShare() > 0.8, "top share " + p.topShare());
    assertTrue(p.meanAlignment() > 0.99, "mean |x~.v1| " + p.meanAlignment());
    assertTrue(p.collapsed());

    Matrix centred = unitRows(200, 20, -0.5, 3);
    CollapseDiagnostics q = CollapseDiagnostics.of(centred, attended(centred));
    assertTrue(q.topShare() < 0.3, "top share " + q.topShare());
    assertTrue(q.minCosine() < 0, "centred features point many ways: " + q.minCosine());
    assertFalse(q.collapsed());
  }

  @Test
  void theSmallestCosineLooksAtTheFirst2000RowsOnly() {
    Matrix x = unitRows(2100, 3, 0.0, 4);
    CollapseDiagnostics c = CollapseDiagnostics.of(x, attended(x));
    assertEquals(CollapseDiagnostics.MAX_ROWS, c.rows());
    assertThrows(IllegalArgumentException.class, () -> CollapseDiagnostics.of(x, new Matrix(3, 3)));
  }
}
