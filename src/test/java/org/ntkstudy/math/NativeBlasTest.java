package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeBlasTest {
  @Test
  void netlibRunsTheBundledOpenBlas() throws Exception {
    assertTrue(Blas.isNative(), "netlib fell back to Java: " + NativeBlas.status());
    assertTrue(NativeBlas.bundled(), NativeBlas.status());
    Path lib = Path.of(System.getProperty("dev.ludovic.netlib.blas.nativeLibPath"));
    assertEquals(lib, Path.of(System.getProperty("dev.ludovic.netlib.lapack.nativeLibPath")));
    for (String name : NativeBlas.FILES) {
      Path f = lib.resolveSibling(name);
      try (var in = NativeBlas.class.getResourceAsStream(NativeBlas.RESOURCES + name)) {
        assertEquals(in.transferTo(java.io.OutputStream.nullOutputStream()), Files.size(f), name);
      }
    }
    // The library netlib loaded is the extracted one.
    assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(lib.toString())));
    // A second install is a no-op.
    String before = NativeBlas.status();
    NativeBlas.install();
    assertEquals(before, NativeBlas.status());
  }

  @Test
  void bundledDgemmIsExactOnIntegers() {
    // Small integers: every product and sum is exact in double, so any kernel must agree bit for bit.
    int m = 37, n = 29, k = 53;
    Matrix a = new Matrix(m, k);
    Matrix b = new Matrix(n, k);
    for (int i = 0; i < a.data().length; i++) a.data()[i] = (i * 7919 % 23) - 11;
    for (int i = 0; i < b.data().length; i++) b.data()[i] = (i * 104729 % 19) - 9;
    Matrix c = Blas.multiplyTransposed(a, b);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) s += a.get(i, t) * b.get(j, t);
        assertEquals(s, c.get(i, j), 0.0);
      }
    }
  }
}
