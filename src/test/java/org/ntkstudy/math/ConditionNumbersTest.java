package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.ntkstudy.testing.Fixtures;

/** SCIENCE §1 against NumPy's values (make_fixtures.py), computed locally without Spark. */
class ConditionNumbersTest {

  @ParameterizedTest
  @ValueSource(strings = {"tall", "wide", "deficient"})
  void figuresMatchNumpy(String name) {
    Matrix x = Fixtures.npy("spectrum_" + name + "_X.npy");
    Map<String, Object> want = Fixtures.json("spectrum_" + name + ".json");
    double[] eig = SymmetricEigen.values(Blas.multiplyTransposed(x, x));
    double[] wantEig = Fixtures.doubles(want, "eigenvalues_G");
    assertArrayEquals(wantEig, eig, 1e-12 * wantEig[0], "eigenvalues of G");

    ConditionNumbers.Figures f = ConditionNumbers.of(eig, x.cols(), 1e-10, 0.1, 1e-3);
    assertEquals(Fixtures.number(want, "lambda_max"), f.lambdaMax(), 1e-12);
    assertEquals(((Number) want.get("rank_tol")).intValue(), f.rankTol());
    assertRel(Fixtures.number(want, "kappa_tol"), f.kappaTol(), 1e-8);
    assertRel(Fixtures.number(want, "kappa_cubed"), f.kappaCubed(), 1e-8);
    assertRel(Fixtures.number(want, "kappa_ridge"), f.kappaRidge(), 1e-8);
    assertEquals(want.get("kappa_d_status"), f.kappaDStatus());
    assertRel(Fixtures.number(want, "kappa_d"), f.kappaD(), 1e-8);
    assertRel(Fixtures.number(want, "log10_m_star_v1"), f.log10MStarV1(), 1e-10);
    assertRel(Fixtures.number(want, "log10_m_star_v2"), f.log10MStarV2(), 1e-10);
    Map<String, Double> ks = ConditionNumbers.kappaKs(eig, "G");
    for (int k : ConditionNumbers.KS) {
      if (k > eig.length) {
        continue;
      }
      // κ_k = λ1/λk inherits λk's round-off (up to 1e-12·λ1, the eigenvalue check above): where λk
      // is itself at round-off level the BLAS kernel decides κ_k, and only that level is checked.
      double wantLambdaK = wantEig[k - 1];
      double propagated = 1e-12 * wantEig[0] / Math.abs(wantLambdaK);
      if (propagated < 1e-3) {
        assertRel(Fixtures.number(want, "kappa_" + k + "_G"), ks.get("kappa_" + k + "_G"), 1e-8 + propagated);
      } else {
        assertTrue(Math.abs(eig[k - 1]) <= 2e-12 * wantEig[0], "lambda_" + k + " at round-off level");
      }
    }
  }

  @Test
  void rankDeficientGramHasNullKappaD() {
    Map<String, Object> want = Fixtures.json("spectrum_deficient.json");
    double[] eig = Fixtures.doubles(want, "eigenvalues_G");
    ConditionNumbers.Figures f = ConditionNumbers.of(eig, 40, 1e-10, 0.1, 1e-3);
    assertNull(f.kappaD());
    assertNull(f.log10MStarV2());
    assertEquals(ConditionNumbers.STATUS_RANK_DEFICIENT, f.kappaDStatus());
    assertEquals(25, f.rankTol());
  }

  @Test
  void toleranceWarningWhenToleranceSetsKappa() {
    double[] eig = {1.0, 0.5, 2e-10, 1e-12};
    ConditionNumbers.Figures f = ConditionNumbers.of(eig, 4, 1e-10, 0.1, 1e-3);
    assertEquals(3, f.rankTol());
    assertNotNull(f.kappaTolWarning());
    ConditionNumbers.Figures g = ConditionNumbers.of(new double[] {1.0, 0.5}, 2, 1e-10, 0.1, 1e-3);
    assertNull(g.kappaTolWarning());
  }

  @Test
  void kappaKIsNullBeyondNOrAtNonPositiveEigenvalues() {
    double[] eig = {4.0, 2.0, 0.0, -1e-17};
    assertEquals(2.0, ConditionNumbers.kappaK(eig, 2));
    assertNull(ConditionNumbers.kappaK(eig, 3));
    assertNull(ConditionNumbers.kappaK(eig, 5));
  }

  /** κ(G³) = κ(G)³ on a well-conditioned G, with G³ formed explicitly as a matrix product. */
  @Test
  void cubingCubesTheConditionNumber() {
    Random rnd = new Random(7);
    int n = 30;
    Matrix x = new Matrix(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        x.set(i, j, (i == j ? 3.0 : 0.0) + 0.05 * rnd.nextGaussian());
      }
    }
    Matrix g = Blas.multiplyTransposed(x, x);
    Matrix g3 = Blas.multiply(Blas.multiply(g, g), g);
    Blas.symmetrize(g3);
    double[] eigG = SymmetricEigen.values(g);
    double[] eigG3 = SymmetricEigen.values(g3);
    assertTrue(eigG[0] / eigG[n - 1] < 20, "well-conditioned");
    ConditionNumbers.Figures fG = ConditionNumbers.of(eigG, n, 1e-10, 0.1, 0);
    ConditionNumbers.Figures fG3 = ConditionNumbers.of(eigG3, n, 1e-10, 0.1, 0);
    assertRel(Math.pow(fG.kappaD(), 3), fG3.kappaD(), 1e-10);
    assertRel(fG.kappaCubed(), fG3.kappaTol(), 1e-10);
    for (int k : ConditionNumbers.KS) {
      if (k <= n) {
        assertRel(Math.pow(ConditionNumbers.kappaK(eigG, k), 3), ConditionNumbers.kappaK(eigG3, k), 1e-10);
      }
    }
    assertArrayEquals(ConditionNumbers.power(eigG, 3), eigG3, 1e-10 * eigG3[0]);
    // Linearized attention's kernel (GX)(GX)ᵀ is G³ (SCIENCE §1).
    Matrix gx = Blas.multiply(g, x);
    assertTrue(Blas.multiplyTransposed(gx, gx).maxAbsDiff(g3) < 1e-9 * eigG3[0]);
  }

  static void assertRel(Double want, Double got, double rel) {
    if (want == null) {
      assertNull(got);
      return;
    }
    assertNotNull(got);
    assertEquals(want, got, rel * Math.abs(want));
  }
}
