package org.ntkstudy.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.NativeBlas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the project's SparkSession: Kryo with the project's classes registered, one BLAS thread
 * per executor task, progress logging; and says which BLAS/LAPACK implementations were loaded,
 * loudly when it is a slow pure-Java fallback.
 */
public final class SparkSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  /**
   * The project's {@code spark.kryo.registrator}, by name: it sits at the top of the packages
   * (it registers every layer's classes), so this layer may not import it.
   */
  public static final String REGISTRATOR = "org.ntkstudy.KryoRegistration";

  private SparkSessions() {}

  /**
   * The settings every run needs, applied where the user (spark-submit, spark-defaults.conf,
   * -Dspark.* properties) has not set them.
   */
  public static SparkConf defaults(SparkConf conf) {
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.kryo.registrator", REGISTRATOR);
    // The largest shipped object is a broadcast row block or a 2048×2048 kernel block (32 MiB).
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    // Each task runs its BLAS on one thread: task slots already use every core (NOTES-spark-blas).
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    // Broadcasts here are dense doubles (row blocks, B, K*): LZ4 gains little on them and cost
    // 0.3–0.5 s per 160 MB broadcast on the bench machine, more than the GEMM they feed.
    conf.setIfMissing("spark.broadcast.compress", "false");
    return conf;
  }

  /** Gets or creates the session for job {@code appName}. */
  public static SparkSession create(String appName) {
    boolean existed = SparkSession.getDefaultSession().isDefined();
    SparkConf conf = defaults(new SparkConf().setAppName(appName));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    if (!existed) {
      spark.sparkContext().addSparkListener(new ProgressListener());
    }
    logBlas();
    return spark;
  }

  /** Logs the BLAS and LAPACK that netlib selected, warning when either is a Java fallback. */
  public static void logBlas() {
    String threads = System.getenv("OPENBLAS_NUM_THREADS");
    String openblas = DriverBlas.describeOpenBlas();
    LOG.info(
        "BLAS: {}, LAPACK: {}, OPENBLAS_NUM_THREADS={}; {}{}",
        Blas.blasName(),
        Blas.lapackName(),
        threads == null ? "(unset)" : threads,
        NativeBlas.status(),
        openblas == null ? "" : "; " + openblas);
    if (!Blas.isNative()) {
      LOG.warn(
          "\n**********************************************************************\n"
              + "* SLOW: netlib fell back to pure-Java {} / {}.\n"
              + "* Native OpenBLAS is 4-10x faster for GEMM and ~10x for eigenvalues.\n"
              + "* The bundled OpenBLAS did not load: {}\n"
              + "* Install one: apt-get install -y libopenblas0 (provides libblas.so.3\n"
              + "* and liblapack.so.3), or pass -Ddev.ludovic.netlib.blas.nativeLibPath=...\n"
              + "**********************************************************************",
          Blas.blasName(),
          Blas.lapackName(),
          NativeBlas.status());
    }
  }
}
