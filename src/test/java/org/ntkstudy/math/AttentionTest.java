package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntkstudy.testing.Fixtures;

class AttentionTest {
  @Test
  void attendedFeaturesMatchNumpy() {
    Matrix x = Fixtures.npy("spectrum_tall_X.npy");
    Map<String, Object> want = Fixtures.json("spectrum_tall.json");
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(x, c.data());
    assertArrayEquals(Fixtures.doubles(want, "C"), c.data(), 1e-13);
    Matrix xt = Attention.attend(x, c, 0);
    assertArrayEquals(Fixtures.doubles(want, "X_tilde"), xt.data(), 1e-13);
  }

  @Test
  void zeroAttentionIsAnErrorNamingTheRow() {
    Matrix c = new Matrix(2, 2, new double[] {1, 0, 0, 0});
    Matrix x = new Matrix(2, 2, new double[] {1, 0, 0, 1});
    var e = assertThrows(ArithmeticException.class, () -> Attention.attend(x, c, 10));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row 11"), e.getMessage());
  }
}
