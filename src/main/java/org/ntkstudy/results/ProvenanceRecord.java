package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a result came from, as a typed value (the Tribuo lesson; ARCHITECTURE "Habits"): code
 * version, time, seed, Spark, Java and BLAS, the driver's heap, and the job's full configuration
 * (option name → value, kept as JSON values: strings, booleans, Long, Double, lists, maps, null).
 *
 * @param gitCommit the commit the jar was built from ("-dirty" when uncommitted changes were built)
 * @param created when the summary was written (ISO-8601)
 * @param seed the run's seed
 * @param driverHeapPoolsPeakSumMb the sum of the heap pools' peaks: an upper bound on the peak heap
 * @param config the job's configuration, option name → value
 */
@JsonPropertyOrder({"git_commit", "created", "seed", "spark_version", "spark_master", "default_parallelism",
    "java_version", "java_vendor", "blas", "lapack", "openblas_num_threads", "blas_library", "openblas",
    "openblas_coretype_env", "driver_heap_max_mb", "driver_heap_pools_peak_sum_mb", "config"})
public record ProvenanceRecord(
    @JsonProperty("git_commit") String gitCommit,
    String created,
    long seed,
    @JsonProperty("spark_version") String sparkVersion,
    @JsonProperty("spark_master") String sparkMaster,
    @JsonProperty("default_parallelism") int defaultParallelism,
    @JsonProperty("java_version") String javaVersion,
    @JsonProperty("java_vendor") String javaVendor,
    String blas,
    String lapack,
    @JsonProperty("openblas_num_threads") String openblasNumThreads,
    @JsonProperty("blas_library") String blasLibrary,
    String openblas,
    @JsonProperty("openblas_coretype_env") String openblasCoretypeEnv,
    @JsonProperty("driver_heap_max_mb") long driverHeapMaxMb,
    @JsonProperty("driver_heap_pools_peak_sum_mb") long driverHeapPoolsPeakSumMb,
    Map<String, Object> config) {
  @SuppressWarnings("unchecked")
  public ProvenanceRecord {
    config = config == null ? null : (Map<String, Object>) canonical(config);
  }

  /**
   * A JSON value in one canonical form, so that a configuration read back equals the one written:
   * integers as Long, floating point as Double (null when not finite), arrays as lists, maps in
   * insertion order; everything else (strings, booleans) as it is.
   */
  static Object canonical(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) {
      return ResultJson.finite(((Number) v).doubleValue());
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), canonical(x)));
      return Collections.unmodifiableMap(out);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(canonical(x)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof double[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (double x : a) {
        out.add(ResultJson.finite(x));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof int[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (int x : a) {
        out.add((long) x);
      }
      return Collections.unmodifiableList(out);
    }
    return v;
  }

  /** The configuration's value of option {@code name} (as {@link #config} keeps it), or null. */
  public Object option(String name) {
    return config == null ? null : config.get(name);
  }

  /** The provenance as the map tree {@code summary.json} shows (for writers still building maps). */
  public Map<String, Object> toMap() {
    return ResultJson.toMap(this);
  }
}
