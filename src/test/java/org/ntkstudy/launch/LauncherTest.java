package org.ntkstudy.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A JVM older than 17 gets one line saying what to do, not an UnsupportedClassVersionError (issue 14). */
class LauncherTest {
  @Test
  void readsSpecificationVersions() {
    assertEquals(8, Launcher.feature("1.8"));
    assertEquals(7, Launcher.feature("1.7"));
    assertEquals(11, Launcher.feature("11"));
    assertEquals(17, Launcher.feature("17"));
    assertEquals(25, Launcher.feature("25"));
    assertEquals(26, Launcher.feature("26-ea"));
    assertEquals(-1, Launcher.feature(null));
    assertEquals(-1, Launcher.feature("x"));
  }

  @Test
  void refusesJava11InOneLine() {
    String line = Launcher.refusal("11", "/usr/lib/jvm/java-11-openjdk-amd64/bin/java");
    assertTrue(line.startsWith("ntk-attention needs Java 17 or later, this JVM is 11 "
        + "(/usr/lib/jvm/java-11-openjdk-amd64/bin/java): "), line);
    assertTrue(line.contains("on Dataproc"), line);
    assertTrue(line.contains("on EMR"), line);
    assertTrue(line.contains("JAVA_HOME"), line);
    assertEquals(1, line.lines().count(), line);
    assertTrue(Launcher.refusal("1.8", "java").contains("this JVM is 8 (java)"));
  }

  @Test
  void lets17AndLaterThrough() {
    for (String v : new String[] {"17", "21", "25", "26"}) {
      assertNull(Launcher.refusal(v, "java"), v);
    }
    assertNull(Launcher.refusal(null, "java"), "unreadable: the JVM itself speaks");
  }

  /** The launcher is Java 8 bytecode (class file major version 52), so Java 8 and 11 can load it. */
  @Test
  void isJava8Bytecode() throws IOException {
    try (InputStream in = Launcher.class.getResourceAsStream("Launcher.class");
        DataInputStream d = new DataInputStream(in)) {
      assertEquals(0xCAFEBABE, d.readInt());
      d.readUnsignedShort();
      assertEquals(52, d.readUnsignedShort());
    }
  }

  /** On this JVM the launcher hands over to Main: --version prints the application's version. */
  @Test
  void delegatesToMain() throws Exception {
    Result r = launch(Path.of(System.getProperty("java.home")), "--version");
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(r.out.contains("ntk-attention"), r.out);
  }

  /**
   * A real Java 8 or 11, when this machine has one (NTK_OLD_JAVA_HOME, or a java-8/java-11 folder
   * under /usr/lib/jvm): exit 2 and the one line on stderr, nothing else.
   */
  @Test
  void aRealOldJvmGetsOneLine() throws Exception {
    Path old = oldJavaHome();
    Assumptions.assumeTrue(old != null, "no Java 8 or 11 on this machine (set NTK_OLD_JAVA_HOME to one)");
    Result r = launch(old, "study", "--config", "tiny", "--out", "/nonexistent/never-written");
    assertEquals(2, r.code, r.err);
    assertEquals("", r.out);
    List<String> lines = r.err.strip().lines().toList();
    assertEquals(1, lines.size(), r.err);
    assertTrue(lines.get(0).startsWith("ntk-attention needs Java 17 or later, this JVM is "), r.err);
    assertTrue(lines.get(0).contains(old.toString()), r.err);
  }

  static Path oldJavaHome() throws IOException {
    String env = System.getenv("NTK_OLD_JAVA_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(p -> p.getFileName().toString().matches(".*(java-8|java-1\\.8|jdk-?8|java-11|jdk-?11|-11-|-8-).*"))
          .filter(p -> Files.isExecutable(p.resolve("bin/java")))
          .findFirst().orElse(null);
    }
  }

  record Result(int code, String out, String err) {}

  /** Runs the launcher from target/classes alone (the application's classes beside it, no Spark needed for --version). */
  static Result launch(Path javaHome, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin/java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(Launcher.class.getName());
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
