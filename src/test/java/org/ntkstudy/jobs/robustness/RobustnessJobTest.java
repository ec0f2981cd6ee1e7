package org.ntkstudy.jobs.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.influence.InfluenceJobTest;
import org.ntkstudy.results.ClaimRobustness;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.RobustnessCell;
import org.ntkstudy.results.RobustnessResult;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/**
 * The robustness job on small synthetic IDX data, 2 input norms × 2 radii × 2 kernels with 2 seeds:
 * its verdicts are those of separate influence runs with the same settings, its table has every
 * cell, its results do not depend on the partitioning, and a run killed inside its grid resumes to
 * the same bytes.
 */
class RobustnessJobTest {
  private static final List<Double> RADII = List.of(0.3, 0.1);

  @TempDir
  static Path shared;

  private static RobustnessJob.Result reference;

  @AfterEach
  void disarm() {
    KillPoints.disarm();
  }

  static DatasetSpec spec(Path dir) {
    Path data = TestData.idxDataset(dir.resolve("idx"), 200, 60, 6, 1, 21);
    return DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 40).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
  }

  /** The influence settings of every cell: relu and attn, FGSM and PGD, transformed and curated, 2 seeds. */
  static InfluenceJob.Config influence(DatasetSpec spec, Path out) {
    return InfluenceJobTest.config(spec, out, null, InfluenceJob.KernelKind.EMPIRICAL,
        List.of("transformed", "curated"), InfluenceJob.Switch.OFF).withAttackEps(RADII);
  }

  static RobustnessJob.Config config(DatasetSpec spec, Path out, int partitions) {
    return new RobustnessJob.Config(List.of(spec), List.of("unit", "center"),
        List.of(InfluenceJob.KernelKind.EMPIRICAL, InfluenceJob.KernelKind.ANALYTIC), influence(spec, out),
        out.toString(), false, partitions);
  }

  private static synchronized RobustnessJob.Result reference() {
    if (reference == null) {
      reference = new RobustnessJob(config(spec(shared), shared.resolve("ref"), 0)).run(SparkTestSession.get());
    }
    return reference;
  }

  @Test
  void verdictsAreThoseOfSeparateInfluenceRuns(@TempDir Path dir) throws IOException {
    SparkSession spark = SparkTestSession.get();
    RobustnessJob.Result r = reference();
    RobustnessResult result = r.result();
    assertEquals(8, result.cells().size(), "1 dataset x 2 norms x 2 radii x 2 kernels");
    for (String norm : List.of("unit", "center")) {
      for (double eps : RADII) {
        for (String kernel : List.of("empirical", "analytic")) {
          RobustnessCell c = result.cell("mnist", norm, eps, kernel);
          assertNotNull(c, norm + " " + eps + " " + kernel);
          assertTrue(c.verdicts().keySet().containsAll(List.of("C3.transformed.fgsm", "C3.transformed.pgd", "C4",
              "dual")), c.verdicts().keySet().toString());
        }
      }
    }
    // Separate influence runs with the same settings (networks trained there, the distributed path).
    DatasetSpec spec = spec(shared);
    for (String[] cell : new String[][] {{"center", "ANALYTIC"}, {"unit", "EMPIRICAL"}}) {
      InfluenceJob.KernelKind kernel = InfluenceJob.KernelKind.valueOf(cell[1]);
      Path out = dir.resolve("infl-" + cell[0] + "-" + cell[1]);
      InfluenceResult infl = new InfluenceJob(influence(spec.withInputNorm(cell[0]), out).withKernel(kernel)
          .withOut(out.toString(), false)).run(spark).result();
      String k = cell[1].toLowerCase();
      for (double eps : RADII) {
        RobustnessCell c = result.cell("mnist", cell[0], eps, k);
        for (String attack : List.of("fgsm", "pgd")) {
          Verdict expected = infl.verdicts().c3().get("transformed").get(attack).get(eps);
          assertEquals(expected, c.verdicts().get("C3.transformed." + attack), cell[0] + " " + k + " " + eps + " "
              + attack + ": the verdict, its rule and every excess figure");
        }
        assertEquals(infl.verdicts().c4(), c.verdicts().get("C4"));
        assertEquals(infl.verdicts().dual(), c.verdicts().get("dual"));
      }
      assertEquals(Files.readString(out.resolve("malleability.csv")),
          Files.readString(out(r).resolve("malleability/mnist_" + cell[0] + "_" + k + ".csv")),
          "the same malleability rows: flips, controls, excesses, noise floors");
    }
    // The table: every cell x claim, and the heat map.
    List<String> lines = Files.readAllLines(out(r).resolve("robustness.csv"));
    assertTrue(lines.get(0).startsWith("dataset,input_norm,attack_eps,kernel,claim,verdict,attn_excess"));
    int claims = result.cells().get(0).verdicts().size();
    assertEquals(1 + 8 * claims, lines.size());
    assertTrue(Files.size(out(r).resolve("robustness.png")) > 1000);
    assertTrue(Files.isDirectory(out(r).resolve("robustness.parquet")));
    // summary.json reads back as the record, with a robustness entry per claim.
    assertEquals(result, ResultJson.read(Files.readString(out(r).resolve("summary.json")), RobustnessResult.class));
    for (String claim : result.cells().get(0).verdicts().keySet()) {
      ClaimRobustness cr = result.claims().get(claim);
      assertNotNull(cr, claim);
      assertEquals(8, cr.where().values().stream().mapToInt(List::size).sum(), claim);
      assertEquals(cr.where().size() == 1, cr.robust());
    }
  }

  @Test
  void resultsDoNotDependOnThePartitioning(@TempDir Path dir) throws IOException {
    SparkSession spark = SparkTestSession.get();
    Path ref = out(reference());
    for (int partitions : new int[] {1, 3}) {
      Path out = dir.resolve("p" + partitions);
      new RobustnessJob(config(spec(shared), out, partitions)).run(spark);
      assertSameFiles(ref, out);
    }
  }

  @Test
  void killedInsideTheGridResumesToTheSameBytes(@TempDir Path dir) throws IOException {
    SparkSession spark = SparkTestSession.get();
    Path ref = out(reference());
    Path out = dir.resolve("out");
    KillPoints.arm(RobustnessJob.GRID + " cell");
    assertThrows(Throwable.class, () -> new RobustnessJob(config(spec(shared), out, 0)).run(spark));
    assertFalse(Files.exists(out));
    KillPoints.arm("robustness tables");
    CellGrid.resetFinishedCount();
    assertThrows(Throwable.class, () -> new RobustnessJob(config(spec(shared), out, 0)).resume(true).run(spark));
    assertTrue(CellGrid.finishedCount() < 4, "units finished before the kill were kept: " + CellGrid.finishedCount());
    CellGrid.resetFinishedCount();
    new RobustnessJob(config(spec(shared), out, 0)).resume(true).run(spark);
    assertEquals(0, CellGrid.finishedCount(), "every unit was kept");
    assertSameFiles(ref, out);
  }

  private static Path out(RobustnessJob.Result r) {
    return Path.of(r.out().toUri().getPath());
  }

  /** Every CSV of two output folders, byte for byte. */
  private static void assertSameFiles(Path a, Path b) throws IOException {
    Map<String, byte[]> fa = csvs(a);
    Map<String, byte[]> fb = csvs(b);
    assertEquals(fa.keySet(), fb.keySet());
    assertTrue(fa.containsKey("robustness.csv"));
    for (String f : fa.keySet()) {
      assertArrayEquals(fa.get(f), fb.get(f), f);
    }
  }

  private static Map<String, byte[]> csvs(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
        out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }
}
