package org.ntkstudy.spark;

import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a named stage of a job under a Spark job group and description (so the Spark UI says what
 * it is, the lesson of Iceberg's Spark actions) and logs its start and duration.
 */
public final class Stages {
  private static final Logger LOG = LoggerFactory.getLogger("ntk.stage");

  private Stages() {}

  /**
   * Runs {@code body} with job group {@code group} and {@code description}.
   *
   * @param group a stable id such as {@code spectrum/gram}
   * @param description what a person reads in the UI and the log
   */
  public static <T> T run(JavaSparkContext jsc, String group, String description, Supplier<T> body) {
    LOG.info("{}: {}", group, description);
    long t0 = System.nanoTime();
    String outerGroup = jsc.getLocalProperty("spark.jobGroup.id");
    String outerDescription = jsc.getLocalProperty("spark.job.description");
    jsc.setJobGroup(group, description, false);
    try {
      return body.get();
    } finally {
      if (outerGroup == null) {
        jsc.clearJobGroup();
      } else { // a stage within a stage: the enclosing one labels the jobs that follow
        jsc.setJobGroup(outerGroup, outerDescription == null ? outerGroup : outerDescription, false);
      }
      LOG.info(String.format("%s: done in %.2f s", group, (System.nanoTime() - t0) / 1e9));
    }
  }

  /** {@link #run} for a stage with no result. */
  public static void run(JavaSparkContext jsc, String group, String description, Runnable body) {
    run(
        jsc,
        group,
        description,
        () -> {
          body.run();
          return null;
        });
  }
}
