package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Blas;
import org.ntkstudy.testing.SparkTestSession;

class DriverBlasTest {
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
  }
}
