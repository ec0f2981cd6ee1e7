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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;
import org.ntkstudy.cli.StudyCommand;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/** The study job: one folder, one manifest, and a resumed run equal to an uninterrupted one. */
class StudyJobTest {
  /** Every result file of a study folder (CSV, .npy, .json without the volatile keys), by relative path. */
  static Map<String, byte[]> results(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString();
        if (rel.endsWith(".csv") || rel.endsWith(".npy")) {
          out.put(rel, Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  @Test
  void tinyStudyHasEveryPartAndOneManifest() throws IOException {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path dir = TinyStudy.get();
    for (String part : StudyJob.PARTS) {
      assertTrue(Files.exists(dir.resolve(part).resolve("summary.json")), part);
      assertFalse(Files.exists(dir.resolve(part).resolve("manifest.json")), "one manifest only: " + part);
    }
    assertTrue(Files.exists(dir.resolve("manifest.json")));
    assertTrue(Files.exists(dir.resolve("summary.json")));
    assertTrue(Files.exists(dir.resolve("influence/malleability.csv")));
    assertTrue(Files.exists(dir.resolve("train/curves.csv")));
    assertTrue(Files.exists(dir.resolve("sweep/spectra.csv")));
    Map<String, Object> parts = (Map<String, Object>) TinyStudy.result().summary().get("parts");
    assertTrue(((Map<?, ?>) parts.get("influence")).get("networks").toString().contains("train part"));
  }

  @Test
  void resumedStudyEqualsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path reference = TinyStudy.get();
    Path out = tmp.resolve("study");
    // First crash: 3 sweep cells in (spectrum finished, the sweep part-way).
    CellFiles.FINISHED.set(0);
    Exception crash = assertThrows(Exception.class, () -> new StudyJob(StudyCommand.configFor("tiny",
        out.toString(), false, false, TinyStudy.TEST_OVERRIDES, 3)).run(SparkTestSession.get()));
    assertTrue(String.valueOf(crash.getMessage()).contains("test-only failure")
        || String.valueOf(crash.getCause()).contains("test-only failure"), String.valueOf(crash));
    assertFalse(Files.exists(out), "an aborted study leaves nothing that looks finished");
    Path partial = unfinished(tmp);
    assertTrue(Files.exists(partial.resolve("spectrum/manifest.json")), "spectrum finished before the crash");
    assertTrue(cellFiles(partial) >= 3, "finished sweep cells kept");
    // Second crash, resumed: the sweep's kept cells are read back, it finishes, the training grid
    // (32 cells) crashes part-way.
    CellFiles.FINISHED.set(0);
    assertThrows(Exception.class, () -> new StudyJob(StudyCommand.configFor("tiny", out.toString(), false, true,
        TinyStudy.TEST_OVERRIDES, 12)).run(SparkTestSession.get()));
    assertEquals(partial, unfinished(tmp), "the same unfinished folder, resumed");
    assertTrue(Files.exists(partial.resolve("sweep/manifest.json")), "the sweep finished on the resumed run");
    long trainCells = cellFiles(partial);
    assertTrue(trainCells >= 3, "finished training cells kept: " + trainCells);
    // Third crash, resumed again: training (32 cells) finishes, the influence part's malleability
    // cells crash part-way.
    CellFiles.FINISHED.set(0);
    Exception third = assertThrows(Exception.class, () -> new StudyJob(StudyCommand.configFor("tiny", out.toString(),
        false, true, TinyStudy.TEST_OVERRIDES, (int) (32 - trainCells) + 3)).run(SparkTestSession.get()));
    assertTrue(String.valueOf(third.getMessage()).contains("test-only failure"), String.valueOf(third));
    assertFalse(Files.exists(partial.resolve("influence/manifest.json")), "influence crashed part-way");
    assertTrue(Files.exists(partial.resolve("train/manifest.json")), "training finished on the second resume");
    assertTrue(cellFiles(partial) >= 3, "finished malleability cells kept: " + cellFiles(partial));

    StudyJob.Result resumed = new StudyJob(StudyCommand.configFor("tiny", out.toString(), false, true,
        TinyStudy.TEST_OVERRIDES, 0)).run(SparkTestSession.get());
    Map<String, Object> parts = (Map<String, Object>) resumed.summary().get("parts");
    assertTrue(((Map<?, ?>) parts.get("spectrum")).get("status").toString().contains("earlier run"));
    assertTrue(((Map<?, ?>) parts.get("train")).get("status").toString().contains("earlier run"));
    assertEquals("run", ((Map<?, ?>) parts.get("influence")).get("status"));

    Map<String, byte[]> a = results(reference);
    Map<String, byte[]> b = results(out);
    assertEquals(a.keySet(), b.keySet());
    for (String f : a.keySet()) {
      if (f.startsWith("report/")) {
        continue; // the report quotes timings and dates
      }
      assertArrayEquals(a.get(f), b.get(f), f + " differs from the uninterrupted run");
    }
    assertTrue(a.size() > 15, "compared " + a.keySet());
  }

  private static Path unfinished(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(p -> p.getFileName().toString().startsWith(".study.inprogress-")).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static long cellFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().contains("/cells/") && p.toString().endsWith(".ser")).count();
    }
  }

  @Test
  void badSettingsAreClearErrors(@TempDir Path tmp) {
    UserInputException e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("tiny",
        tmp.resolve("x").toString(), false, false, List.of("sweep.widthz=4,8"), 0));
    assertTrue(e.getMessage().contains("sweep.widthz"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("tiny", tmp.resolve("x").toString(),
        false, false, List.of("colour=blue"), 0));
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("no-such-study",
        tmp.resolve("x").toString(), false, false, List.of(), 0));
    assertTrue(e.getMessage().contains("no-such-study"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("tiny", tmp.resolve("x").toString(),
        true, true, List.of(), 0));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("tiny", tmp.resolve("x").toString(),
        false, false, List.of("train.symmetric=maybe"), 0));
    assertTrue(e.getMessage().contains("switch"), e.getMessage());
  }

  @Test
  void everyShippedStudyParses(@TempDir Path tmp) {
    for (String s : List.of("tiny", "fashion-mnist-quick", "fashion-mnist-paper", "mnist-paper", "cifar10-paper")) {
      // MNIST and CIFAR-10 are not shipped: their studies need --set data=...
      List<String> data = s.startsWith("mnist") || s.startsWith("cifar") ? List.of("data=" + tmp) : List.of();
      StudyJob.Config c = StudyCommand.configFor(s, tmp.resolve(s).toString(), false, false, data, 0);
      assertEquals(s, c.name());
      assertTrue(c.spectrum() != null && c.sweep() != null && c.train() != null && c.influence() != null, s);
    }
    StudyJob.Config quick = StudyCommand.configFor("fashion-mnist-quick", tmp.resolve("q").toString(), false, false,
        List.of("sweep.seeds=7", "n-test=100"), 0);
    assertEquals(7, quick.sweep().seeds());
    assertEquals(100, quick.influence().data().nTest());
    assertEquals(null, StudyJob.reusableTraining(quick.train(), quick.influence()), "influence reads the train part");
  }
}
