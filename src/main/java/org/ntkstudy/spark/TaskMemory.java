package org.ntkstudy.spark;

import org.apache.spark.sql.SparkSession;

/**
 * How much memory one Spark task may use, and the block size the jobs choose from it when
 * {@code --block} is not given.
 */
public final class TaskMemory {
  /** Keep at least this many block pairs per core, so both cores stay busy (NOTES-spark-blas). */
  static final int MIN_PAIRS_PER_CORE = 3;

  private TaskMemory() {}

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
}
