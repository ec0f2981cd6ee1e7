package org.ntkstudy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkstudy.bench.support.RandomMatrices;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.testing.SparkTestSession;

class NtkBenchTest {
  @Test
  void tinyRunIsCorrectAndItsFiguresArePositive() {
    Matrix x = RandomMatrices.unitRows(200, 30, 4);
    NtkBench.Result r = new NtkBench(new NtkBench.Config(null, x, 64, 64, 1, true, "python3", null, false))
        .run(SparkTestSession.get());
    assertTrue(r.maxAbsError() <= 1e-12, "blocked = local: " + r.maxAbsError());
    double gflops = (Double) r.summary().get("ntk_ours_gflops");
    assertTrue(gflops > 0 && Double.isFinite(gflops));
    assertEquals("SKIPPED", r.summary().get("ntk_vs_numpy_dgemm_status"));
  }

  @Test
  void countedFlopsFollowTheConvention() {
    // n = 10, block 4: blocks 4, 4, 2; pairs (0,0) (0,1) (0,2) (1,1) (1,2) (2,2).
    BlockGrid g = new BlockGrid(10, 4);
    double pairs = 2.0 * (16 + 16 + 8 + 16 + 8 + 4) * (3 + 5);
    double patterns = 2.0 * 10 * 3 * 5;
    assertEquals(pairs + patterns, NtkBench.countedFlops(g, 3, 5), 0.0);
  }
}
