package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockLanczosTest {
  @Test
  void topEigenvaluesOfAKernelMatchTheDenseSolver() {
    Matrix x = NtkKernelsTest.unitRows(300, 20, 4);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = Math.abs(x.data()[i]); // all-positive inputs, like images
    }
    Matrix h = NtkKernels.analyticNtk(x, x, true);
    double[] all = SymmetricEigen.values(h);
    int[] passes = {0};
    BlockLanczos.Result r = BlockLanczos.topK(v -> {
      passes[0]++;
      return Blas.multiply(h, v);
    }, 300, 10, 20, 30, 1e-10, 1);
    assertTrue(r.converged(), "converged in " + r.passes() + " passes");
    assertEquals(passes[0], r.passes());
    for (int i = 0; i < 10; i++) {
      assertEquals(all[i], r.values()[i], 1e-9 * all[0], "eigenvalue " + (i + 1));
      assertTrue(r.residuals()[i] <= 1e-10 * all[0]);
    }
  }

  @Test
  void orthonormalizeDropsDependentColumns() {
    Matrix w = new Matrix(4, 3, new double[] {1, 2, 3, 0, 0, 0, 1, 2, 3, 0, 0, 0});
    Matrix q = BlockLanczos.orthonormalize(w, java.util.List.of());
    assertEquals(1, q.cols());
    assertEquals(1.0, Blas.multiplyTransposeLeft(q, q).get(0, 0), 1e-15);
  }
}
