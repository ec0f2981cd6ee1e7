package org.ntkstudy.spark;

import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a driver-side LAPACK call (an eigendecomposition, a factorisation) on every core in local
 * mode. There the driver shares its process with the executor tasks, whose BLAS runs one thread
 * each (OPENBLAS_NUM_THREADS=1, so task slots don't oversubscribe the cores); the driver's large
 * LAPACK calls run between stages, when the cores are otherwise idle. On a cluster the driver is
 * its own process and already uses its cores, so nothing changes there.
 */
public final class DriverBlas {
  private static final Logger LOG = LoggerFactory.getLogger(DriverBlas.class);
  private static final Object LOCK = new Object();
  private static volatile OpenBlasThreads threads;
  private static volatile boolean unavailable;

  private DriverBlas() {}

  /** {@code body} with OpenBLAS on all cores when {@code jsc} is in local mode; else as it is. */
  public static <T> T allCores(JavaSparkContext jsc, Supplier<T> body) {
    if (jsc == null || !jsc.sc().isLocal()) {
      return body.get();
    }
    OpenBlasThreads t = binding();
    if (t == null) {
      return body.get();
    }
    synchronized (LOCK) {
      int before;
      try {
        before = t.get();
        t.set(Runtime.getRuntime().availableProcessors());
      } catch (Throwable e) {
        return body.get();
      }
      try {
        return body.get();
      } finally {
        try {
          t.set(before);
        } catch (Throwable e) {
          LOG.warn("could not restore OpenBLAS to {} thread(s): {}", before, e.toString());
        }
      }
    }
  }

  /**
   * The loaded OpenBLAS as {@code "<config>; core <kernel>"}, or null when no OpenBLAS is bound
   * (netlib's Java fallback, another BLAS, or no foreign-function access).
   */
  public static String describeOpenBlas() {
    OpenBlasThreads t = binding();
    if (t == null || t.config() == null) {
      return null;
    }
    return t.config() + (t.coreName() == null ? "" : "; core " + t.coreName());
  }

  private static OpenBlasThreads binding() {
    if (unavailable) {
      return null;
    }
    if (threads == null) {
      synchronized (LOCK) {
        if (threads == null && !unavailable) {
          try {
            org.ntkstudy.math.Blas.blas(); // netlib loads its native library first
            threads = OpenBlasThreads.bind();
          } catch (Throwable e) {
            unavailable = true;
            LOG.info("driver LAPACK stays at OPENBLAS_NUM_THREADS ({}: {})", e.getClass().getSimpleName(), e.getMessage());
          }
        }
      }
    }
    return threads;
  }
}
