package org.ntkstudy.report;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.NativeBlas;
import org.ntkstudy.results.ProvenanceRecord;

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
   * The provenance of a result, typed (what every result record carries).
   *
   * @param config the job's full configuration, as option name → value
   * @param seed the run's seed
   */
  public static ProvenanceRecord record(SparkSession spark, Map<String, Object> config, long seed) {
    return new ProvenanceRecord(
        gitCommit(),
        Instant.now().toString(),
        seed,
        spark.version(),
        spark.sparkContext().master(),
        spark.sparkContext().defaultParallelism(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        Blas.blasName(),
        Blas.lapackName(),
        System.getenv("OPENBLAS_NUM_THREADS"),
        NativeBlas.status(),
        org.ntkstudy.spark.DriverBlas.describeOpenBlas(),
        System.getenv("OPENBLAS_CORETYPE"),
        Runtime.getRuntime().maxMemory() >> 20,
        // Each heap pool's own peak, summed: an upper bound on the heap's peak (pools peak at
        // different moments, so it can exceed the limit).
        heapPeakBytes() >> 20,
        finalNames(config));
  }

  /**
   * The configuration with every folder named as it will be once committed: a part of a study
   * runs inside the study's temporary folder, and its provenance names the study's final folder.
   */
  private static Map<String, Object> finalNames(Map<String, Object> config) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, v instanceof String s ? RunOutput.finalName(s) : v));
    return out;
  }

  /**
   * The provenance block of a summary still built as a map (influence, benchmarks): {@link #record}
   * as a map tree, the same keys in the same order.
   *
   * @param config the job's full configuration, as option name → value
   * @param seed the run's seed
   */
  public static Map<String, Object> of(SparkSession spark, Map<String, Object> config, long seed) {
    return record(spark, config, seed).toMap();
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
