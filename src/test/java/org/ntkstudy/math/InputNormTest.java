package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputNormTest {

  static Matrix randomPixels(SplittableRandom rnd, int n, int d) {
    Matrix p = new Matrix(n, d);
    for (int k = 0; k < p.data().length; k++) {
      // A mix of exact zeros, ones and values in between, as in real images.
      double u = rnd.nextDouble();
      p.data()[k] = u < 0.2 ? 0 : u > 0.9 ? 1 : rnd.nextDouble();
    }
    return p;
  }

  /** The algorithm of Preprocess.normalizeRows before InputNorm existed, copied verbatim (without its checks). */
  static Matrix legacyNormalizeRows(Matrix pixels) {
    int n = pixels.rows();
    int d = pixels.cols();
    double[] p = pixels.data();
    double[] x = new double[p.length];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      double sum = 0;
      for (int j = 0; j < d; j++) {
        double v = p[base + j];
        sum += v * v;
      }
      double norm = Math.sqrt(sum);
      for (int j = 0; j < d; j++) {
        x[base + j] = p[base + j] / norm;
      }
    }
    return new Matrix(n, d, x);
  }

  @Test
  void unitIsBitIdenticalToTheOldNormalizeRows() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int trial = 0; trial < 20; trial++) {
      Matrix p = randomPixels(rnd, 1 + rnd.nextInt(30), 1 + rnd.nextInt(800));
      for (int i = 0; i < p.rows(); i++) {
        p.data()[i * p.cols()] = 0.5; // no all-zero row
      }
      Matrix want = legacyNormalizeRows(p);
      Matrix got = InputNorm.unit().apply(p);
      Matrix fitted = InputNorm.fit(InputNorm.Kind.UNIT, p).apply(p);
      for (int k = 0; k < want.data().length; k++) {
        assertEquals(Double.doubleToRawLongBits(want.data()[k]), Double.doubleToRawLongBits(got.data()[k]));
        assertEquals(Double.doubleToRawLongBits(want.data()[k]), Double.doubleToRawLongBits(fitted.data()[k]));
      }
    }
  }

  /** x = z/|z| of the row z, by plain loops. */
  static double[] direction(double[] z) {
    double s = 0;
    for (double v : z) {
      s += v * v;
    }
    double[] x = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      x[j] = z[j] / Math.sqrt(s);
    }
    return x;
  }

  @Test
  void centerStandardizeAndScalarAgainstADirectComputation() {
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 9;
    int d = 6;
    Matrix train = randomPixels(rnd, n, d);
    // Pixel 4 constant (σ = 0), pixel 5 nearly constant (σ = 0.004 < 0.01), pixel 3 just above.
    for (int i = 0; i < n; i++) {
      train.set(i, 4, 0.3);
      train.set(i, 5, 0.5 + (i % 2 == 0 ? 0.004 : -0.004) * (i == n - 1 ? 0 : 1));
      train.set(i, 3, i % 2 == 0 ? 0.2 : 0.25);
    }
    Matrix test = randomPixels(rnd, 4, d);
    // Direct statistics, written out by hand.
    double[] mu = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += train.get(i, j);
      }
      mu[j] = s / n;
      double v = 0;
      for (int i = 0; i < n; i++) {
        v += (train.get(i, j) - mu[j]) * (train.get(i, j) - mu[j]);
      }
      sd[j] = Math.sqrt(v / n); // population σ
    }
    double all = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        all += train.get(i, j);
      }
    }
    double m = all / (n * d);
    double vv = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        vv += (train.get(i, j) - m) * (train.get(i, j) - m);
      }
    }
    double s = Math.sqrt(vv / (n * d));
    assertTrue(sd[5] < 0.01 && sd[5] > 0, "test setup: pixel 5 is nearly constant, σ = " + sd[5]);
    assertTrue(sd[3] > 0.01, "test setup: pixel 3 varies, σ = " + sd[3]);

    InputNorm center = InputNorm.fit(InputNorm.Kind.CENTER, train);
    InputNorm standardize = InputNorm.fit(InputNorm.Kind.STANDARDIZE, train);
    InputNorm scalar = InputNorm.fit(InputNorm.Kind.SCALAR, train);
    assertArrayEquals(mu, center.mean(), 1e-15);
    assertNull(center.sigma());
    assertArrayEquals(mu, standardize.mean(), 1e-15);
    assertArrayEquals(sd, standardize.sigma(), 1e-15);
    assertEquals(0.0, standardize.sigma()[4], 0.0);
    assertEquals(m, scalar.scalarMean(), 1e-15);
    assertEquals(s, scalar.scalarSd(), 1e-15);
    assertNull(scalar.mean());

    // Train and test rows both use the training statistics.
    for (Matrix p : new Matrix[] {train, test}) {
      Matrix xc = center.apply(p);
      Matrix xs = standardize.apply(p);
      Matrix xm = scalar.apply(p);
      for (int i = 0; i < p.rows(); i++) {
        double[] zc = new double[d];
        double[] zs = new double[d];
        double[] zm = new double[d];
        for (int j = 0; j < d; j++) {
          zc[j] = p.get(i, j) - mu[j];
          zs[j] = sd[j] < 0.01 ? 0 : (p.get(i, j) - mu[j]) / sd[j];
          zm[j] = (p.get(i, j) - m) / s;
        }
        assertEquals(0.0, zs[4], 0.0);
        assertEquals(0.0, zs[5], 0.0);
        assertArrayEquals(direction(zc), xc.selectRows(new int[] {i}).data(), 1e-14);
        assertArrayEquals(direction(zs), xs.selectRows(new int[] {i}).data(), 1e-14);
        assertArrayEquals(direction(zm), xm.selectRows(new int[] {i}).data(), 1e-14);
        assertArrayEquals(zs, standardize.z(p.selectRows(new int[] {i}).data()), 1e-12);
        assertEquals(0.0, xs.get(i, 5), 0.0); // the σ_j < 0.01 rule
      }
    }
  }

  @Test
  void derivativeIsTheDiagonalOfDzDp() {
    SplittableRandom rnd = new SplittableRandom(3);
    Matrix train = randomPixels(rnd, 12, 5);
    for (int i = 0; i < 12; i++) {
      train.set(i, 2, 0.7); // σ_2 = 0
    }
    for (InputNorm.Kind kind : InputNorm.Kind.values()) {
      InputNorm norm = InputNorm.fit(kind, train);
      double[] p = randomPixels(rnd, 1, 5).data();
      double[] z0 = norm.z(p);
      double[] g = new double[5];
      for (int j = 0; j < 5; j++) {
        double[] q = p.clone();
        q[j] += 0.125;
        double[] z1 = norm.z(q);
        for (int k = 0; k < 5; k++) {
          if (k == j) {
            assertEquals((z1[k] - z0[k]) / 0.125, norm.derivative(j), 1e-12, kind + " j=" + j);
          } else {
            assertEquals(z0[k], z1[k], 0.0, kind + ": z_" + k + " moved with p_" + j);
          }
        }
        g[j] = j + 1.0;
      }
      double[] back = g.clone();
      norm.backward(back);
      for (int j = 0; j < 5; j++) {
        assertEquals(g[j] * norm.derivative(j), back[j], 1e-15);
      }
      if (kind == InputNorm.Kind.STANDARDIZE) {
        assertEquals(0.0, norm.derivative(2), 0.0);
      }
    }
  }

  @Test
  void anImageWhoseZIsZeroIsAnInputErrorNamingIt() {
    Matrix train = new Matrix(2, 3, new double[] {0.25, 0.5, 0.5, 0.75, 0.75, 1});
    InputNorm center = InputNorm.fit(InputNorm.Kind.CENTER, train);
    // The mean image itself has z = 0.
    Matrix p = new Matrix(2, 3, new double[] {0.1, 0.1, 0.1, 0.5, 0.625, 0.75});
    var e = assertThrows(InputNorm.InputError.class, () -> center.apply(p, i -> "test image " + (10 + i)));
    assertTrue(e.getMessage().startsWith("test image 11 has z = 0 under --input-norm center"), e.getMessage());
    // The all-zero image is fine under center (z = −μ) but an error under unit.
    center.apply(new Matrix(1, 3));
    var u = assertThrows(InputNorm.InputError.class, () -> InputNorm.unit().apply(new Matrix(1, 3)));
    assertTrue(u.getMessage().contains("row 0 is all zero"), u.getMessage());
    // standardize: equal to μ on every pixel with σ ≥ 0.01 is z = 0 even if other pixels differ.
    Matrix t2 = new Matrix(2, 2, new double[] {0.25, 0.5, 0.75, 0.5});
    InputNorm st = InputNorm.fit(InputNorm.Kind.STANDARDIZE, t2);
    assertThrows(InputNorm.InputError.class, () -> st.apply(new Matrix(1, 2, new double[] {0.5, 0.9})));
    // Bad pixels are named as before, in fit and apply.
    var nan = assertThrows(InputNorm.InputError.class,
        () -> InputNorm.fit(InputNorm.Kind.SCALAR, new Matrix(1, 2, new double[] {0.5, Double.NaN})));
    assertTrue(nan.getMessage().contains("row 0: pixel 1 is NaN"), nan.getMessage());
    assertThrows(InputNorm.InputError.class, () -> center.apply(new Matrix(1, 3, new double[] {0.5, 2, 0})));
    // scalar with every training pixel equal: s = 0.
    assertThrows(InputNorm.InputError.class,
        () -> InputNorm.fit(InputNorm.Kind.SCALAR, new Matrix(2, 2, new double[] {0.5, 0.5, 0.5, 0.5})));
    // A fitted norm refuses another dimension.
    assertThrows(IllegalArgumentException.class, () -> center.apply(new Matrix(1, 4)));
  }

  @Test
  void statisticsAreFixedConstantsSerializedWithTheNorm() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    Matrix train = randomPixels(rnd, 10, 7);
    InputNorm norm = InputNorm.fit(InputNorm.Kind.STANDARDIZE, train);
    double[] mu = norm.mean();
    mu[0] = 99; // a copy: the norm is not changed
    assertTrue(norm.mean()[0] <= 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(norm);
    }
    InputNorm back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (InputNorm) in.readObject();
    }
    assertArrayEquals(norm.mean(), back.mean(), 0.0);
    assertArrayEquals(norm.sigma(), back.sigma(), 0.0);
    assertArrayEquals(norm.apply(train).data(), back.apply(train).data(), 0.0);
    assertSame(InputNorm.Kind.CENTER, InputNorm.Kind.ofKey("center"));
    assertNull(InputNorm.Kind.ofKey("Center"));
    assertEquals(java.util.List.of("unit", "center", "standardize", "scalar"), InputNorm.Kind.keys());
  }
}
