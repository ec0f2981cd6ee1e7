package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Blas;
import org.ntkstudy.testing.SparkTestSession;

class DriverBlasTest {
  @Test
  void findsTheMappedOpenBlasFile() {
    String lib = "/tmp/ntkstudy-openblas-0.3.31-linux-x86_64-root/libopenblas.so.0";
    assertEquals(lib, OpenBlasThreads.loadedOpenBlas(java.util.List.of(
        "55d1c0e4a000-55d1c0e4b000 r--p 00000000 08:01 123  /usr/lib/jvm/java-17/bin/java",
        "7f00a0000000-7f00a0021000 rw-p 00000000 00:00 0 ",
        "7f00b0000000-7f00b2000000 r-xp 00001000 08:01 456                        " + lib,
        "7f00c0000000-7f00c0001000 r-xp 00001000 08:01 789  /usr/lib/x86_64-linux-gnu/libopenblas.so.0")));
    // An anonymous mapping or a path that merely passes through a folder named libopenblas is not it.
    assertEquals(null, OpenBlasThreads.loadedOpenBlas(java.util.List.of(
        "7f00a0000000-7f00a0021000 rw-p 00000000 00:00 0  [heap]")));
  }

  /** The binding reads OpenBLAS's build and kernel, as provenance records them. */
  @Test
  void describesTheLoadedOpenBlas() {
    Assumptions.assumeTrue("true".equals(System.getenv("CI")) || Blas.isNative(), "no native OpenBLAS here");
    String d = DriverBlas.describeOpenBlas();
    org.junit.jupiter.api.Assertions.assertNotNull(d, "no OpenBLAS bound");
    org.junit.jupiter.api.Assertions.assertTrue(d.startsWith("OpenBLAS "), d);
    org.junit.jupiter.api.Assertions.assertTrue(d.contains("; core "), d);
  }

  /** In local mode a driver-side LAPACK call gets every core, and the tasks' one thread comes back after. */
  @Test
  void driverCallsUseAllCoresAndRestoreOneThread() throws Throwable {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(ci || Blas.isNative(), "no native OpenBLAS here");
    Blas.blasName(); // loads netlib, and with it OpenBLAS
    OpenBlasThreads t = OpenBlasThreads.bind();
    int before = t.get();
    assertEquals(1, before, "surefire runs with OPENBLAS_NUM_THREADS=1, as tasks do");
    int inside = DriverBlas.allCores(SparkTestSession.jsc(), () -> {
      try {
        return t.get();
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), inside), inside);
    assertEquals(Runtime.getRuntime().availableProcessors(), inside);
    assertEquals(1, t.get(), "restored");
    // One OpenBLAS in the process: the binding opened netlib's library, not a second copy.
    assertEquals(1, java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("libopenblas")).map(l -> l.substring(l.indexOf('/'))).distinct().count());
  }
}
