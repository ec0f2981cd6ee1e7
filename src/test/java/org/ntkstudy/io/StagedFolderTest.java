package org.ntkstudy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFolderTest {
  private static void write(FileSystem fs, org.apache.hadoop.fs.Path p, String text) throws IOException {
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A failing write leaves the old folder as it was and nothing else; a finished one replaces it whole. */
  @Test
  void replacesTheFolderOnlyWhenTheNewOneIsComplete(@TempDir Path dir) throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.resolve("report").toUri());
    StagedFolder.write(fs, target, tmp -> write(fs, new org.apache.hadoop.fs.Path(tmp, "old.txt"), "old"));
    assertEquals(List.of("report"), names(dir).stream().filter(n -> !n.endsWith(".crc")).toList());

    IOException e = assertThrows(IOException.class, () -> StagedFolder.write(fs, target, tmp -> {
      write(fs, new org.apache.hadoop.fs.Path(tmp, "half.txt"), "half a page");
      throw new IOException("interrupted");
    }));
    assertEquals("interrupted", e.getMessage());
    assertEquals(List.of("old.txt"), names(dir.resolve("report")).stream().filter(n -> !n.endsWith(".crc")).toList());
    assertEquals("old", Files.readString(dir.resolve("report/old.txt")));
    assertEquals(List.of("report"), names(dir).stream().filter(n -> !n.endsWith(".crc")).toList());

    // A temporary folder left by a killed write is removed by the next write.
    Files.createDirectories(dir.resolve(".report.inprogress-killed"));
    StagedFolder.write(fs, target, tmp -> write(fs, new org.apache.hadoop.fs.Path(tmp, "new.txt"), "new"));
    assertEquals(List.of("new.txt"), names(dir.resolve("report")).stream().filter(n -> !n.endsWith(".crc")).toList());
    assertEquals(List.of("report"), names(dir).stream().filter(n -> !n.endsWith(".crc")).toList());
    assertFalse(Files.exists(dir.resolve(".report.inprogress-killed")));
  }
}
