package org.ntkstudy.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.spark.SparkSessions;

/**
 * The one local[2] SparkSession all Spark tests share (starting Spark costs seconds). Kryo
 * registration is required, so a class shipped without registration fails its test.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      SparkConf conf =
          SparkSessions.defaults(
              new SparkConf()
                  .setMaster("local[2]")
                  .setAppName("ntk-tests")
                  .set("spark.kryo.registrationRequired", "true")
                  .set("spark.ui.enabled", "false")
                  .set("spark.sql.shuffle.partitions", "4"));
      spark = SparkSession.builder().config(conf).getOrCreate();
    }
    return spark;
  }

  public static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(get().sparkContext());
  }
}
