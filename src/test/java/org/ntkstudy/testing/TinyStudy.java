package org.ntkstudy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ntkstudy.cli.StudyCommand;
import org.ntkstudy.jobs.StudyJob;

/**
 * The {@code tiny} study on real Fashion-MNIST, run once per test JVM and shared (it takes about a
 * minute): the notebooks and the study tests read it. Needs the Debian Fashion-MNIST package.
 */
public final class TinyStudy {
  private static Path dir;
  private static StudyJob.Result result;

  private TinyStudy() {}

  /** Overrides that keep the tiny study fast in tests while touching every part. */
  public static final List<String> TEST_OVERRIDES = List.of("influence.attacks=fgsm,pgd");

  public static synchronized Path get() {
    if (dir == null) {
      try {
        Path root = Files.createTempDirectory("tiny-study");
        Path out = root.resolve("study");
        result = new StudyJob(StudyCommand.configFor("tiny", out.toString(), false, false, TEST_OVERRIDES, 0))
            .run(SparkTestSession.get());
        dir = out;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return dir;
  }

  public static synchronized StudyJob.Result result() {
    get();
    return result;
  }
}
