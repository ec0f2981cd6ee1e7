package org.ntkstudy.report;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.NativeBlas;

/**
 * Where a result came from (the Tribuo lesson): code version, Spark and Java versions, the BLAS
 * that computed it, the machine's parallelism, the time. Every {@code summary.json} carries it.
 */
public final class Provenance {
  private Provenance() {}

  /** The git commit the jar was built from, as recorded at build time ("unknown" outside git). */
  public static String gitCommit() {
    Properties p = buildProperties();
    String id = p.getProperty("git.commit.id");
    if (id == null || id.isBlank()) {
      return "unknown";
    }
    return "true".equals(p.getProperty("git.dirty")) ? id + "-dirty" : id;
  }

  private static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("/ntk-git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Provenance is best effort: an unreadable file reads as unknown.
    }
    return p;
  }

  /**
   * The provenance block of a summary.
   *
   * @param config the job's full configuration, as option name → value
   * @param seed the run's seed
   */
  public static Map<String, Object> of(SparkSession spark, Map<String, Object> config, long seed) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("git_commit", gitCommit());
    p.put("created", Instant.now().toString());
    p.put("seed", seed);
    p.put("spark_version", spark.version());
    p.put("spark_master", spark.sparkContext().master());
    p.put("default_parallelism", spark.sparkContext().defaultParallelism());
    p.put("java_version", System.getProperty("java.version"));
    p.put("java_vendor", System.getProperty("java.vendor"));
    p.put("blas", Blas.blasName());
    p.put("lapack", Blas.lapackName());
    String threads = System.getenv("OPENBLAS_NUM_THREADS");
    p.put("openblas_num_threads", threads);
    p.put("blas_library", NativeBlas.status());
    p.put("openblas", org.ntkstudy.spark.DriverBlas.describeOpenBlas());
    p.put("openblas_coretype_env", System.getenv("OPENBLAS_CORETYPE"));
    p.put("driver_heap_max_mb", Runtime.getRuntime().maxMemory() >> 20);
    // Each heap pool's own peak, summed: an upper bound on the heap's peak (pools peak at
    // different moments, so it can exceed the limit).
    p.put("driver_heap_pools_peak_sum_mb", heapPeakBytes() >> 20);
    p.put("config", config);
    return p;
  }

  /** An upper bound on this JVM's peak heap use: the sum of the heap memory pools' peaks. */
  public static long heapPeakBytes() {
    long peak = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
