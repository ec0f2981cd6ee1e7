package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.Main;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/**
 * The stand-alone grid jobs resume exactly: {@code train} and {@code influence} killed inside
 * their cells and inside their table writes, then run with {@code --resume}, end with the bytes of
 * an uninterrupted run, computing only the cells that were not finished.
 */
class GridResumeTest {
  @AfterEach
  void disarm() {
    KillPoints.disarm();
  }

  private static DatasetSpec spec(Path dir) {
    Path data = TestData.idxDataset(dir.resolve("idx"), 200, 60, 6, 1, 21);
    return DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 40).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
  }

  @Test
  void trainKilledAndResumedEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
    SparkSession spark = SparkTestSession.get();
    DatasetSpec spec = spec(dir);
    Path ref = dir.resolve("ref");
    Path out = dir.resolve("out");
    new TrainJob(TrainJobTest.config(spec, ref, 0)).run(spark);

    KillPoints.arm("train/cells cell");
    assertThrows(Throwable.class, () -> new TrainJob(TrainJobTest.config(spec, out, 0)).run(spark));
    KillPoints.arm("train tables");
    CellGrid.resetFinishedCount();
    assertThrows(Throwable.class, () -> new TrainJob(TrainJobTest.config(spec, out, 0)).resume(true).run(spark));
    int computedAfterFirstKill = CellGrid.finishedCount();
    assertTrue(computedAfterFirstKill < 32, "cells finished before the kill were kept: " + computedAfterFirstKill);
    assertFalse(Files.exists(out));

    CellGrid.resetFinishedCount();
    new TrainJob(TrainJobTest.config(spec, out, 0)).resume(true).run(spark);
    assertEquals(0, CellGrid.finishedCount(), "every cell was kept");
    assertSameFiles(ref, out);
  }

  @Test
  void influenceKilledAndResumedEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
    SparkSession spark = SparkTestSession.get();
    DatasetSpec spec = spec(dir);
    String trainDir = new TrainJob(org.ntkstudy.jobs.influence.InfluenceJobTest.trainConfig(spec, dir)).run(spark)
        .out().toString();
    Path ref = dir.resolve("ref");
    Path out = dir.resolve("out");
    new InfluenceJob(config(spec, ref, trainDir)).run(spark);

    KillPoints.arm("influence/cells cell");
    assertThrows(Throwable.class, () -> new InfluenceJob(config(spec, out, trainDir)).run(spark));
    KillPoints.arm("influence tables");
    assertThrows(Throwable.class, () -> new InfluenceJob(config(spec, out, trainDir)).resume(true).run(spark));
    KillPoints.arm("after-rename out");
    assertThrows(Throwable.class, () -> new InfluenceJob(config(spec, out, trainDir)).resume(true).run(spark));
    assertTrue(Files.exists(out), "committed before the kill");
    assertTrue(Files.exists(dir.resolve(".out.cells")), "the kept cells go only after the commit");
    assertSameFiles(ref, out);
  }

  @Test
  void resumeAndOverwriteTogetherAreRefused(@TempDir Path dir) {
    int code = Main.run(new String[] {"train", "--data", dir.toString(), "--out", dir.resolve("o").toString(),
        "--resume", "--overwrite"});
    assertEquals(2, code, "a clear refusal");
    assertFalse(Files.exists(dir.resolve("o")));
  }

  private static InfluenceJob.Config config(DatasetSpec spec, Path out, String trainDir) {
    return org.ntkstudy.jobs.influence.InfluenceJobTest.config(spec, out, trainDir, InfluenceJob.KernelKind.EMPIRICAL,
        List.of("transformed", "curated"), InfluenceJob.Switch.OFF);
  }

  /** Every CSV and .npy of two output folders, byte for byte. */
  private static void assertSameFiles(Path a, Path b) throws IOException {
    Map<String, byte[]> fa = StudyJobTest.results(a);
    Map<String, byte[]> fb = StudyJobTest.results(b);
    assertEquals(fa.keySet(), fb.keySet());
    assertTrue(!fa.isEmpty());
    for (String f : fa.keySet()) {
      assertArrayEquals(fa.get(f), fb.get(f), f);
    }
    try (Stream<Path> s = Files.walk(b)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList());
    }
  }
}
