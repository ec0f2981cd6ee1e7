package org.ntkstudy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.ntkstudy.spark.SparkSessions;

/** The registrator the Spark layer names by string is the class at the top. */
class KryoRegistrationTest {
  @Test
  void sparkSessionsNamesTheTopLevelRegistrator() {
    assertEquals(KryoRegistration.class.getName(), SparkSessions.REGISTRATOR);
    assertEquals(KryoRegistration.class.getName(),
        SparkSessions.defaults(new SparkConf(false)).get("spark.kryo.registrator"));
  }
}
