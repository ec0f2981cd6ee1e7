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
