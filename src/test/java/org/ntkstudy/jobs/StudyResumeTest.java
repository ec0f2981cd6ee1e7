package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.cli.StudyCommand;
import org.ntkstudy.results.PartStatus;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * {@code study --resume} is exact: the {@code tiny} study killed at every kind of moment — each
 * part boundary, inside a grid's cells, inside each part's table writes, between a part's commit
 * and the removal of its finished cells, before and inside the report, inside the study's own
 * commit — and resumed each time, ends with every CSV and {@code .npy} byte-identical to an
 * uninterrupted run's; and a resume with changed settings recomputes exactly what they affect.
 */
class StudyResumeTest {
  /** The moments the study is killed at, in the order a run reaches them. */
  static final List<String> KILL_POINTS = List.of(
      "before part sweep",
      "sweep/cells cell",
      "sweep tables",
      "after-rename sweep",
      "before part train",
      "train/cells cell",
      "train tables",
      "after-rename train",
      "before part influence",
      "influence/cells cell",
      "influence tables",
      "after-rename influence",
      "before report",
      "before-rename report",
      "before-rename study");

  @AfterEach
  void disarm() {
    KillPoints.disarm();
  }

  private static StudyJob.Result run(Path out, boolean resume, List<String> overrides) {
    List<String> all = new ArrayList<>(TinyStudy.TEST_OVERRIDES);
    all.addAll(overrides);
    return new StudyJob(StudyCommand.configFor("tiny", out.toString(), false, resume, all, 0))
        .run(SparkTestSession.get());
  }

  private static boolean killedAt(Throwable t, String point) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains("test-only kill at " + point)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void killedAtEveryPointAndResumedEqualsAnUninterruptedRun(@TempDir Path tmp) throws IOException {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path reference = TinyStudy.get();
    Path out = tmp.resolve("study");
    for (String point : KILL_POINTS) {
      KillPoints.arm(point);
      Throwable t = assertThrows(Throwable.class, () -> run(out, true, List.of()), "killed at " + point);
      assertTrue(killedAt(t, point), "killed at " + point + ", not by: " + t);
      assertFalse(Files.exists(out), "nothing that looks finished after a kill at " + point);
    }
    StudyJob.Result done = run(out, true, List.of());
    for (String part : StudyJob.PARTS) {
      assertEquals(PartStatus.KEPT, done.result().part(part).status(), part);
    }

    Map<String, byte[]> a = StudyJobTest.results(reference);
    Map<String, byte[]> b = StudyJobTest.results(out);
    assertEquals(a.keySet(), b.keySet());
    for (String f : a.keySet()) {
      assertArrayEquals(a.get(f), b.get(f), f + " differs from the uninterrupted run");
    }
    assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("report/data/")), "report data compared");
    assertTrue(a.size() > 20, "compared " + a.keySet());
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of("study"), left.map(p -> p.getFileName().toString()).toList(), "nothing left beside it");
    }
    try (Stream<Path> hidden = Files.walk(out)) {
      assertEquals(List.of(), hidden.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "no cell store or unfinished folder inside the study");
    }
  }

  @Test
  void aResumeWithChangedSettingsRecomputesExactlyWhatTheyAffect(@TempDir Path tmp) {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path out = tmp.resolve("study");
    // The sweep's 12 cells (relu, attn x 3 widths x 2 seeds) finish; the run dies in its table writes.
    KillPoints.arm("sweep tables");
    assertThrows(Throwable.class, () -> run(out, false, List.of()));

    // sweep.seeds 2 -> 3 adds a seed: the 12 kept cells stay, 6 are computed.
    CellGrid.resetFinishedCount();
    KillPoints.arm("before part train");
    assertThrows(Throwable.class, () -> run(out, true, List.of("sweep.seeds=3")));
    assertEquals(6, CellGrid.finishedCount(), "only the new seed's sweep cells are computed");

    // The same again: nothing of the sweep is recomputed.
    CellGrid.resetFinishedCount();
    KillPoints.arm("before part train");
    assertThrows(Throwable.class, () -> run(out, true, List.of("sweep.seeds=3")));
    assertEquals(0, CellGrid.finishedCount(), "a resume with the same settings reuses every cell");

    // sigma0 is a setting of every sweep cell: all 18 are recomputed; the finished spectrum is
    // recomputed for its changed tol; train and influence run for the first time.
    CellGrid.resetFinishedCount();
    StudyJob.Result r = run(out, true, List.of("sweep.seeds=3", "sweep.sigma0=0.02", "spectrum.tol=1e-9"));
    assertEquals(PartStatus.RECOMPUTED, r.result().part("spectrum").status());
    assertEquals(PartStatus.RECOMPUTED, r.result().part("sweep").status());
    assertEquals(PartStatus.RUN, r.result().part("train").status());
    assertEquals(PartStatus.RUN, r.result().part("influence").status());
    int trainCells = 2 * 2 * 2 * 2 * 2; // models x widths x sigma0 x optimizers x seeds
    assertTrue(CellGrid.finishedCount() >= 18 + trainCells, "sweep and train cells computed: "
        + CellGrid.finishedCount());
  }
}
