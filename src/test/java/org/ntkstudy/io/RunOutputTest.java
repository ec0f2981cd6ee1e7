package org.ntkstudy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;

class RunOutputTest {
  private final Configuration conf = new Configuration();

  @Test
  void temporaryFoldersAreNamedByTheirFinalNames() {
    assertEquals("file:/runs/study/train", RunOutput.finalName("file:/runs/.study.inprogress-mx1vbnjy-2872a8fb/train"));
    assertEquals("/runs/study/train", RunOutput.finalName("/runs/study/.train.inprogress-a1-0123abcd"));
    assertEquals("hdfs://nn/x/a.b/c", RunOutput.finalName("hdfs://nn/x/.a.b.inprogress-zz9-deadbeef/.c.inprogress-1-00000000"));
    assertEquals("/runs/.hidden/x", RunOutput.finalName("/runs/.hidden/x"), "other hidden folders stay");
  }

  @Test
  void nothingLooksFinishedUntilCommitThenManifestListsEveryFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    RunOutput o = RunOutput.open(out.toString(), false, conf);
    o.writeText("a.txt", "hello");
    o.writeNpy("v.npy", new double[] {1, 2, 3});
    assertFalse(Files.exists(out), "the final folder appears only at commit");
    o.commit();
    assertTrue(Files.isDirectory(out));
    Map<String, Object> manifest = Json.read(Files.readString(out.resolve("manifest.json")));
    assertEquals(true, manifest.get("complete"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) manifest.get("files");
    assertEquals(List.of("a.txt", "v.npy"), files.stream().map(f -> f.get("path")).toList());
    assertEquals(5, ((Number) files.get(0).get("bytes")).intValue());
    assertEquals(Files.size(out.resolve("v.npy")), ((Number) files.get(1).get("bytes")).longValue());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(out), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList());
    }
  }

  @Test
  void existingOutputNeedsOverwriteAndSurvivesAFailedRun(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    RunOutput first = RunOutput.open(out.toString(), false, conf);
    first.writeText("old.txt", "old");
    first.commit();

    var e = assertThrows(UserInputException.class, () -> RunOutput.open(out.toString(), false, conf));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());

    RunOutput failed = RunOutput.open(out.toString(), true, conf);
    failed.writeText("new.txt", "new");
    // the run dies here: no commit
    assertEquals("old", Files.readString(out.resolve("old.txt")), "old results intact");
    assertFalse(Files.exists(out.resolve("new.txt")));

    RunOutput second = RunOutput.open(out.toString(), true, conf);
    second.writeText("new.txt", "new");
    second.commit();
    assertTrue(Files.exists(out.resolve("new.txt")));
    assertFalse(Files.exists(out.resolve("old.txt")), "replaced whole, not merged");
  }

  @Test
  void refusesToStartWhatTheDiskCannotHold(@TempDir Path dir) throws Exception {
    OpenOutputs.begin(null);
    RunOutput o = RunOutput.open(dir.resolve("big").toString(), false, conf);
    var e = assertThrows(UserInputException.class, () -> o.requireSpace(1L << 60, "a 1 EiB kernel"));
    assertTrue(e.getMessage().contains("a 1 EiB kernel") && e.getMessage().contains(" free")
        && e.getMessage().contains("but " + dir + " has"), e.getMessage());
    // The command line abandons the run: a kernel's output cannot be resumed, so it goes.
    assertTrue(OpenOutputs.abandon(false).contains("was removed"));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "the temporary folder and its owner file are removed");
    }
    RunOutput ok = RunOutput.open(dir.resolve("small").toString(), false, conf);
    ok.requireSpace(1024, "a small file");
  }

  @Test
  void outputThatIsAFileIsRejected(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("file"), "x");
    var e = assertThrows(UserInputException.class, () -> RunOutput.open(f.toString(), true, conf));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
  }

  /** The --resume command printed after a failed --overwrite run continues it and replaces the old output. */
  @Test
  void aResumedOverwriteRunReplacesTheFinishedOutput(@TempDir Path dir) throws Exception {
    OpenOutputs.begin(null);
    String out = dir.resolve("o").toString();
    RunOutput first = RunOutput.open(out, false, conf);
    first.writeText("old.txt", "old");
    first.commit();

    RunOutput failed = RunOutput.open(out, true, conf).resumable();
    failed.writeText("piece.txt", "kept");
    assertTrue(OpenOutputs.abandon(false).contains("to continue"), "kept for --resume");
    assertEquals("old", Files.readString(dir.resolve("o/old.txt")), "the finished output is untouched");

    RunOutput resumed = RunOutput.resume(out, conf);
    assertTrue(resumed.exists("piece.txt"), "the kept piece is there");
    resumed.writeText("new.txt", "new");
    resumed.commit();
    assertEquals("kept", Files.readString(dir.resolve("o/piece.txt")));
    assertFalse(Files.exists(dir.resolve("o/old.txt")), "replaced whole");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("o"), s.map(p -> p.getFileName().toString()).toList(), "nothing left beside it");
    }
  }
}
