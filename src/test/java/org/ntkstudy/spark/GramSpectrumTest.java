package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntkstudy.testing.Fixtures;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.math.Matrix;

/** The spectrum through C equals the spectrum through G's blocks, and both equal NumPy's. */
class GramSpectrumTest {
  @ParameterizedTest
  @ValueSource(strings = {"tall", "wide", "deficient"})
  void bothRoutesAgreeWithNumpy(String name) {
    Matrix x = Fixtures.npy("spectrum_" + name + "_X.npy");
    double[] want = Fixtures.doubles(Fixtures.json("spectrum_" + name + ".json"), "eigenvalues_G");
    var jsc = SparkTestSession.jsc();
    GramSpectrum.Result viaC = GramSpectrum.ofRows(jsc, "t", "G", GramSpectrum.Route.COVARIANCE, x, 7, 0, 1L << 30);
    GramSpectrum.Result viaG = GramSpectrum.ofRows(jsc, "t", "G", GramSpectrum.Route.GRAM, x, 7, 0, 1L << 30);
    assertEquals(GramSpectrum.Route.COVARIANCE, viaC.route());
    assertEquals(GramSpectrum.Route.GRAM, viaG.route());
    assertEquals(x.rows(), viaC.eigenvalues().length);
    double tol = 1e-12 * want[0];
    assertArrayEquals(viaG.eigenvalues(), viaC.eigenvalues(), tol);
    assertArrayEquals(want, viaG.eigenvalues(), tol);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tall", "wide"})
  void autoTakesTheSmallerProblem(String name) {
    Map<String, Object> want = Fixtures.json("spectrum_" + name + ".json");
    int n = ((Number) want.get("n")).intValue();
    int d = ((Number) want.get("d")).intValue();
    assertEquals(n > d ? GramSpectrum.Route.COVARIANCE : GramSpectrum.Route.GRAM,
        GramSpectrum.chooseRoute(GramSpectrum.Route.AUTO, n, d));
  }
}
