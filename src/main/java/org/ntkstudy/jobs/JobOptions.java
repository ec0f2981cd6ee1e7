package org.ntkstudy.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.spark.BlockGrid;

/** Settings shared by the jobs: how a dataset spec reads in a summary, the default block size. */
public final class JobOptions {
  /** Keep at least this many block pairs per core, so both cores stay busy (NOTES-spark-blas). */
  static final int MIN_PAIRS_PER_CORE = 3;

  private JobOptions() {}

  /** The dataset options as they appear on the command line and in summaries. */
  public static Map<String, Object> datasetMap(DatasetSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", s.dataset());
    m.put("data", s.dataLocation());
    m.put("test_data", s.testData());
    m.put("n", s.n());
    m.put("n_test", s.nTest());
    m.put("classes", s.classes());
    m.put("subset", s.subset());
    m.put("seed", s.seed());
    m.put("label_column", s.labelColumn());
    m.put("pixel_scale", s.pixelScale());
    return m;
  }

  /**
   * One task's share of executor memory: the heap over the cores in local mode, else
   * {@code spark.executor.memory} over {@code spark.executor.cores}.
   */
  public static long taskShare(SparkSession spark) {
    var conf = spark.sparkContext().getConf();
    if (spark.sparkContext().isLocal()) {
      return Runtime.getRuntime().maxMemory() / Math.max(1, spark.sparkContext().defaultParallelism());
    }
    return conf.getSizeAsBytes("spark.executor.memory", "1g") / Math.max(1, conf.getInt("spark.executor.cores", 1));
  }

  /**
   * The block size when {@code --block} is not given: the largest that fits a quarter of one
   * task's share of executor memory (capped at 1024, where DGEMM peaks), then halved (not below
   * 256) until there are about three block pairs per core.
   */
  public static int defaultBlock(SparkSession spark, int n, int d) {
    long taskBytes = taskShare(spark) / 4;
    int b = BlockGrid.defaultBlockSize(n, d, taskBytes);
    int totalCores = Math.max(1, spark.sparkContext().defaultParallelism());
    while (b > 256 && new BlockGrid(n, b).numPairs() < (long) MIN_PAIRS_PER_CORE * totalCores) {
      b /= 2;
    }
    return Math.min(b, n);
  }

  /**
   * The training recipe's entries of a job's recorded configuration (train and influence alike):
   * profile, epochs (the profile's when not given), lr, gd_lr ({@code auto} when 0), batch,
   * weight_decay, symmetric.
   */
  public static Map<String, Object> recipeMap(String profile, int epochs, double lr, double gdLr, int batch,
      double weightDecay, boolean symmetric) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", profile);
    m.put("epochs", epochs);
    m.put("lr", lr);
    m.put("gd_lr", gdLr == 0 ? "auto" : gdLr);
    m.put("batch", batch);
    m.put("weight_decay", weightDecay);
    m.put("symmetric", symmetric);
    return m;
  }
}
