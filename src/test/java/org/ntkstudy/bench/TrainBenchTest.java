package org.ntkstudy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkstudy.bench.support.RandomMatrices;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.testing.SparkTestSession;

class TrainBenchTest {
  @Test
  void tinyEpochTimesArePositiveAndFlopsFollowTheConvention() {
    Matrix x = RandomMatrices.unitRows(300, 20, 2);
    Matrix y = new Matrix(300, 3);
    for (int i = 0; i < 300; i++) {
      y.set(i, i % 3, 1);
    }
    TrainBench.Result r = new TrainBench(new TrainBench.Config(null, x, y, 64, 32, 1, true, "python3", null, false))
        .run(SparkTestSession.get());
    assertEquals(300.0 * (4.0 * 20 * 64 + 4.0 * 64 * 3), (Double) r.summary().get("counted_flops"), 0.0);
    double g = (Double) r.summary().get("epoch_gflops");
    assertTrue(g > 0 && Double.isFinite(g));
    assertEquals("SKIPPED", r.summary().get("train_vs_numpy_status"));
  }
}
