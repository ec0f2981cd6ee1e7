package org.ntkstudy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;
import org.ntkstudy.bench.support.RandomMatrices;
import org.ntkstudy.io.Json;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.testing.SparkTestSession;

/** The bench on a tiny generated problem: every figure is a real number and what it timed is right. */
class GramBenchTest {

  @Test
  void tinyBenchGivesFiniteFiguresAndACorrectGram(@TempDir Path dir) throws Exception {
    Matrix x = RandomMatrices.unitRows(300, 784, 7);
    // Block 64: five blocks, the last one ragged (44 rows), fifteen block pairs.
    GramBench.Config config =
        new GramBench.Config(null, x, 64, 1, 200, false, "python3", dir.resolve("bench").toString(), false);
    GramBench.Result r = new GramBench(config).run(SparkTestSession.get());

    assertTrue(r.gramMaxAbsError() <= 1e-12, "ours: max |G - XX^T| = " + r.gramMaxAbsError());
    assertTrue(r.blockMatrixMaxAbsError() <= 1e-12, "BlockMatrix: max |G - XX^T| = " + r.blockMatrixMaxAbsError());

    boolean numpyRan = r.figure(GramBench.GRAM_NUMPY) != null;
    List<String> expected =
        new ArrayList<>(List.of(GramBench.GRAM_OURS, GramBench.GRAM_BLOCKMATRIX, GramBench.EIGEN_OURS));
    if (numpyRan) {
      expected.addAll(List.of(GramBench.GRAM_NUMPY, GramBench.GRAM_NUMPY_OUT, GramBench.EIGEN_NUMPY));
      assertNotNull(r.eigenMaxRelDiff());
      assertTrue(r.eigenMaxRelDiff() <= 1e-10, "eigenvalues differ from NumPy's by " + r.eigenMaxRelDiff());
    } else {
      // Without NumPy the bench still runs, and says so.
      assertNull(r.eigenMaxRelDiff());
      assertEquals("SKIPPED", r.ratio("gram_vs_numpy").status());
      assertEquals("SKIPPED", r.ratio("eigen_time_vs_numpy").status());
    }
    assertEquals(expected.size(), r.figures().size());
    for (String key : expected) {
      GramBench.Figure f = r.figure(key);
      assertNotNull(f, key);
      assertEquals(1, f.runs().length, key);
      assertPositiveFinite(f.medianSeconds(), key + " seconds");
      if (key.startsWith("gram")) {
        assertPositiveFinite(f.gflops(), key + " GFLOP/s");
      }
    }
    for (GramBench.Ratio ratio : r.ratios()) {
      if (ratio.value() != null) {
        assertPositiveFinite(ratio.value(), ratio.key());
        assertTrue(List.of("PASS", "MISS").contains(ratio.status()), ratio.key());
      }
    }
    assertNotNull(r.ratio("gram_vs_blockmatrix").value());
    assertTrue(r.report().contains("gram_vs_blockmatrix"), r.report());

    Map<String, Object> summary =
        Json.read(Files.readString(dir.resolve("bench").resolve("summary.json"), StandardCharsets.UTF_8));
    assertEquals(300, ((Number) summary.get("n")).intValue());
    assertEquals(784, ((Number) summary.get("d")).intValue());
    assertPositiveFinite(((Number) summary.get("gram_ours_gflops")).doubleValue(), "summary gram_ours_gflops");
    assertPositiveFinite(((Number) summary.get("gram_vs_blockmatrix")).doubleValue(), "summary gram_vs_blockmatrix");
    assertEquals(Blas.blasName(), summary.get("blas"));
    assertNotNull(summary.get("provenance"));
    assertEquals(numpyRan ? "ran" : null, numpyRan ? ((Map<?, ?>) summary.get("numpy")).get("status") : null);
  }

  @Test
  void theGramCheckCatchesAWrongMissingOrRepeatedBlock() {
    Matrix x = RandomMatrices.unitRows(10, 3, 1);
    BlockGrid grid = new BlockGrid(10, 4);
    List<MatrixBlock> blocks = new ArrayList<>();
    for (BlockGrid.BlockPair p : grid.pairs()) {
      int r0 = grid.blockStart(p.i());
      int c0 = grid.blockStart(p.j());
      blocks.add(new MatrixBlock(p.i(), p.j(), Blas.multiplyTransposed(
          x.rowRange(r0, r0 + grid.blockRows(p.i())), x.rowRange(c0, c0 + grid.blockRows(p.j())))));
    }
    assertTrue(GramCheck.maxAbsError(blocks, grid, x) <= 1e-15);

    Matrix wrong = blocks.get(4).values().copy();
    wrong.set(0, 0, wrong.get(0, 0) + 1e-9);
    List<MatrixBlock> corrupted = new ArrayList<>(blocks);
    corrupted.set(4, new MatrixBlock(blocks.get(4).blockRow(), blocks.get(4).blockCol(), wrong));
    assertTrue(GramCheck.maxAbsError(corrupted, grid, x) >= 0.9e-9);

    List<MatrixBlock> missing = new ArrayList<>(blocks.subList(1, blocks.size()));
    assertThrows(IllegalStateException.class, () -> GramCheck.maxAbsError(missing, grid, x));
    List<MatrixBlock> repeated = new ArrayList<>(blocks);
    repeated.set(1, blocks.get(2));
    assertThrows(IllegalStateException.class, () -> GramCheck.maxAbsError(repeated, grid, x));
  }

  @Test
  void blockPairsGoToAboutThreeTasksPerCoreByDefault() {
    // The bench times BlockedRows' default partitioning: 36 pairs on 2 cores run as 6 tasks.
    assertEquals(6, BlockedRows.defaultTasks(36, 2));
    assertEquals(3, BlockedRows.defaultTasks(3, 2));
    assertEquals(1, BlockedRows.defaultTasks(1, 0));
    assertEquals(192, BlockedRows.defaultTasks(1770, 64));
    assertEquals(111, BlockedRows.defaultTasks(1770, 2), "at most 16 pairs per task");
  }

  @Test
  void configTakesExactlyOneSourceAndRejectsBadNumbers() {
    Matrix x = RandomMatrices.unitRows(5, 3, 1);
    assertThrows(IllegalArgumentException.class,
        () -> new GramBench.Config(null, null, 4, 1, 4, true, "python3", null, false));
    assertThrows(UserInputException.class, () -> GramBench.Config.ofInputs(x, 0, 1, 4, true));
    assertThrows(UserInputException.class, () -> GramBench.Config.ofInputs(x, 4, 0, 4, true));
    assertThrows(UserInputException.class, () -> GramBench.Config.ofInputs(x, 4, 1, 0, true));
  }

  @Test
  void randomSymmetricIsSymmetricAndReproducible() {
    Matrix a = RandomMatrices.symmetric(17, 3);
    Matrix b = RandomMatrices.symmetric(17, 3);
    assertEquals(0.0, a.maxAbsDiff(b));
    assertEquals(0.0, a.maxAbsDiff(a.transpose()));
  }

  private static void assertPositiveFinite(Double v, String what) {
    assertNotNull(v, what);
    assertTrue(v > 0 && Double.isFinite(v), what + " = " + v);
  }
}
