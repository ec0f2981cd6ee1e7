package org.ntkstudy.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A Spark installation made of Maven's jars, as a distribution lays it out: {@code jars/} (links
 * to every jar of the project's provided scope: Spark, Scala, Hadoop's client, their
 * dependencies), {@code conf/log4j2.properties} (the project's) and {@code bin/spark-class} and
 * {@code bin/spark-submit}, which do what a distribution's scripts do (ask Spark's launcher,
 * org.apache.spark.launcher.Main, for the java command and run it). Spark's launcher finds its
 * jars under SPARK_HOME/jars only when SPARK_SCALA_VERSION is set (else "Cannot find any build
 * directories"), so {@link #environment} sets it, with SPARK_LOCAL_IP so everything binds to
 * 127.0.0.1.
 *
 * <p>Also the application as the tests submit it: a jar of target/classes (the code, the studies,
 * the git properties) and the jars the shaded jar would bundle (picocli, JFreeChart, OpenBLAS),
 * for {@code spark.jars}: tests run before {@code package} makes the shaded jar.
 */
final class SparkHome {
  /** Lists written by the maven-dependency-plugin before the tests (pom.xml, cluster-test-*). */
  static final Path LISTS = Path.of("target", "cluster-test");

  final Path home;

  private SparkHome(Path home) {
    this.home = home;
  }

  /** The project's root (the tests' working directory is the project's folder). */
  static Path projectRoot() {
    String repo = System.getProperty("ntk.test.repo");
    return Path.of(repo == null ? System.getProperty("user.dir") : repo).toAbsolutePath();
  }

  static List<Path> listed(String name) {
    Path file = projectRoot().resolve(LISTS).resolve(name);
    try {
      String cp = Files.readString(file).trim();
      List<Path> out = new ArrayList<>();
      for (String p : cp.split(java.io.File.pathSeparator)) {
        if (!p.isBlank()) {
          out.add(Path.of(p));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("missing " + file + ": run the tests through Maven (mvn test), whose"
          + " process-test-classes phase writes it", e);
    }
  }

  static SparkHome create(Path dir) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    for (Path jar : listed("spark-jars.txt")) {
      Path link = jars.resolve(jar.getFileName().toString());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.copy(projectRoot().resolve("conf/log4j2.properties"), conf.resolve("log4j2.properties"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    script(bin.resolve("spark-class"), """
        #!/usr/bin/env bash
        # What a Spark distribution's bin/spark-class does: Spark's launcher prints its messages, a
        # NUL and a newline, then the java command for CLASS ARGS, each word ended by a NUL; this
        # runs that command in place of itself.
        set -euo pipefail
        java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
        out="$(mktemp)"
        "$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@" > "$out"
        words=()
        while IFS= read -r -d '' w; do words+=("$w"); done < "$out"
        rm -f "$out"
        [ -z "${words[0]}" ] || printf '%s\n' "${words[0]}" >&2
        cmd=("${words[@]:1}")
        cmd[0]="${cmd[0]#$'\n'}"
        exec "${cmd[@]}"
        """);
    script(bin.resolve("spark-submit"), """
        #!/usr/bin/env bash
        exec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
        """);
    return new SparkHome(dir);
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    file.toFile().setExecutable(true);
  }

  Path sparkSubmit() {
    return home.resolve("bin/spark-submit");
  }

  Path sparkClass() {
    return home.resolve("bin/spark-class");
  }

  /** What every process of the cluster (and spark-submit) gets on top of the test JVM's environment. */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return env;
  }

  /** A jar of target/classes: the application without its dependencies. */
  static Path applicationJar(Path jar) throws IOException {
    Path classes = projectRoot().resolve("target/classes");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.ntkstudy.launch.Launcher");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jo = new JarOutputStream(out, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        JarEntry e = new JarEntry(classes.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
        e.setLastModifiedTime(FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis()));
        jo.putNextEntry(e);
        Files.copy(f, jo);
        jo.closeEntry();
      }
    }
    return jar;
  }

  /** The application's own dependencies (compile and runtime scope), comma-separated for spark.jars. */
  static String dependencyJars() {
    return String.join(",", listed("app-jars.txt").stream().map(p -> p.toAbsolutePath().toString()).toList());
  }
}
