package org.ntkstudy.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of every Spark stage: tasks done / total and an estimate of the time left,
 * at most every few seconds and at completion, under the stage's job description (the one the
 * Spark UI shows, set by {@link Stages}).
 */
public final class ProgressListener extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger("ntk.progress");
  private static final long REPORT_EVERY_MS = 5_000;

  private final Map<Integer, StageProgress> stages = new ConcurrentHashMap<>();

  private static final class StageProgress {
    final String label;
    final int total;
    final long startNanos = System.nanoTime();
    final AtomicInteger done = new AtomicInteger();
    volatile long lastReport = System.currentTimeMillis();

    StageProgress(String label, int total) {
      this.label = label;
      this.total = total;
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    var info = event.stageInfo();
    String description = null;
    if (event.properties() != null) {
      description = event.properties().getProperty("spark.job.description");
    }
    String label = (description != null ? description : info.name()) + " [stage " + info.stageId() + "]";
    stages.put(info.stageId(), new StageProgress(label, info.numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    StageProgress p = stages.get(event.stageId());
    if (p == null || !event.taskInfo().successful()) {
      return;
    }
    int done = p.done.incrementAndGet();
    long now = System.currentTimeMillis();
    if (done < p.total && now - p.lastReport < REPORT_EVERY_MS) {
      return;
    }
    p.lastReport = now;
    double elapsed = (System.nanoTime() - p.startNanos) / 1e9;
    double left = done > 0 ? elapsed / done * (p.total - done) : Double.NaN;
    LOG.info(String.format("%s: %d/%d tasks, %.1f s elapsed, about %.1f s left", p.label, done, p.total, elapsed, left));
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    stages.remove(event.stageInfo().stageId());
  }
}
