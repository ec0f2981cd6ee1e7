package org.ntkstudy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.Main;

/** Bad input gets exit code 2 and one clear line, never a stack trace. */
class MainTest {
  record Outcome(int code, String err) {}

  static Outcome run(String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Outcome(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }

  /** A data URI whose scheme has no file system is one clear line, not a stack trace (issue 13). */
  @Test
  void anUnknownSchemeIsOneClearLine(@TempDir Path dir) {
    Outcome o = run("spectrum", "--dataset", "mnist", "--data", "foo://bar/x", "--out", dir.resolve("o").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("no file system for the scheme 'foo'"), o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    assertTrue(!java.nio.file.Files.exists(dir.resolve("o")));
  }

  /** A run refused for its data leaves no folder behind: each job reads its data before it opens its output. */
  @Test
  void aRefusedRunLeavesNoFolder(@TempDir Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir.resolve("empty"));
    for (String job : new String[] {"spectrum", "kernel", "sweep", "train"}) {
      Outcome o = run(job, "--dataset", "mnist", "--data", dir.resolve("empty").toString(), "--out",
          dir.resolve("out-" + job).toString());
      assertEquals(2, o.code(), job + ": " + o.err());
      try (var left = java.nio.file.Files.list(dir)) {
        assertEquals(java.util.List.of("empty"), left.map(p -> p.getFileName().toString()).sorted().toList(),
            job + " left a folder behind");
      }
    }
  }

  /** Each out-of-range option is named with its value in one line; an explicit --epochs 0 is refused (issue 13). */
  @Test
  void outOfRangeOptionsNameTheOptionAndTheValue(@TempDir Path dir) {
    String out = dir.resolve("o").toString();
    String[][] cases = {
      {"--epochs must be at least 1, got 0", "train", "--epochs", "0"},
      {"--lr must be positive, got -1", "train", "--lr", "-1"},
      {"--batch must be positive, got 0", "train", "--batch", "0"},
      {"--weight-decay must be zero or more, got -0.5", "train", "--weight-decay", "-0.5"},
      {"--eps must be positive, got -0.1", "sweep", "--eps", "-0.1"},
      {"--tol must lie in (0, 1), got 2", "sweep", "--tol", "2"},
      {"--epochs must be at least 1, got -3", "influence", "--epochs", "-3"},
      {"--bootstrap must be at least 100 draws, got 5", "influence", "--bootstrap", "5"},
    };
    for (String[] c : cases) {
      Outcome o = run(c[1], c[2], c[3], "--out", out);
      assertEquals(2, o.code(), String.join(" ", c) + ": " + o.err());
      assertTrue(o.err().contains(c[0]), String.join(" ", c) + ": " + o.err());
      assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
      assertTrue(!java.nio.file.Files.exists(dir.resolve("o")), "nothing written");
    }
  }

  @Test
  void invalidOptionsAreRejectedBeforeAnyWork(@TempDir Path dir) {
    String out = dir.resolve("o").toString();
    Outcome o = run("spectrum", "--n", "0", "--out", out);
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--n"), o.err());
    assertTrue(!o.err().contains("\tat "), "no stack trace: " + o.err());

    o = run("spectrum", "--dataset", "imagenet", "--out", out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains("imagenet"), o.err());

    o = run("spectrum", "--route", "sideways", "--out", out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--route"), o.err());

    o = run("spectrum", "--tol", "2", "--out", out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--tol"), o.err());

    o = run("spectrum", "--n", "10");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--out"), o.err());
  }

  @Test
  void existingOutputIsNotTouchedWithoutOverwrite(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("o"));
    Files.writeString(out.resolve("keep.txt"), "precious");
    Outcome o = run("spectrum", "--dataset", "mnist", "--data", dir.resolve("nowhere").toString(),
        "--n", "10", "--out", out.toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--overwrite"), o.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void missingDataIsAClearError(@TempDir Path dir) {
    Outcome o = run("spectrum", "--dataset", "mnist", "--data", dir.resolve("nowhere").toString(),
        "--n", "10", "--out", dir.resolve("o").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("nowhere"), o.err());
    assertTrue(!o.err().contains("\tat "), o.err());
  }
}
