package org.ntkstudy;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.ntkstudy.data.DataKryoClasses;
import org.ntkstudy.jobs.JobsKryoClasses;
import org.ntkstudy.spark.SparkKryoClasses;

/**
 * The project's {@code spark.kryo.registrator}: registers every class the project ships between
 * JVMs with Kryo, each package's through that package's own registration (tests run with
 * {@code spark.kryo.registrationRequired=true}, so a missing registration fails a test). It sits
 * at the top beside {@link Main} because it names every layer; the layers below name it only as
 * a string ({@code SparkSessions.REGISTRATOR}).
 */
public final class KryoRegistration implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    SparkKryoClasses.register(kryo);
    DataKryoClasses.register(kryo);
    JobsKryoClasses.register(kryo);
  }
}
