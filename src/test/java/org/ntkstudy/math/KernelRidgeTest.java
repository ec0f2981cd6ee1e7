package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelRidgeTest {
  @Test
  void solveSatisfiesTheRidgeSystem() {
    Random r = new Random(1);
    int n = 25;
    Matrix a = new Matrix(n, 8);
    for (int k = 0; k < a.data().length; k++) {
      a.data()[k] = r.nextGaussian();
    }
    Matrix k = Blas.multiplyTransposed(a, a); // rank 8: singular without the ridge
    Matrix y = new Matrix(n, 3);
    for (int q = 0; q < y.data().length; q++) {
      y.data()[q] = r.nextGaussian();
    }
    double lambda = 1e-3;
    Matrix alpha = KernelRidge.factor(k, lambda).solve(y);
    Matrix back = Blas.multiply(k, alpha);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(y.get(i, c), back.get(i, c) + lambda * alpha.get(i, c), 1e-9);
      }
    }
  }

  @Test
  void indefiniteKernelIsAClearError() {
    Matrix k = new Matrix(2, 2, new double[] {1, 0, 0, -1});
    var e = assertThrows(ArithmeticException.class, () -> KernelRidge.factor(k, 1e-3));
    assertTrue(e.getMessage().contains("--lambda"), e.getMessage());
  }
}
