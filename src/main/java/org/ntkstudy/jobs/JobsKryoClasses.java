package org.ntkstudy.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.ntkstudy.jobs.influence.CleanRun;
import org.ntkstudy.jobs.influence.InfluenceWork;
import org.ntkstudy.jobs.influence.MalleabilityStage;
import org.ntkstudy.jobs.influence.RetrainLooStage;

/**
 * The jobs' classes that cross JVMs in broadcasts and task results, for the project's Kryo
 * registrator (records go through Java serialization: Kryo 4 cannot construct them).
 */
public final class JobsKryoClasses {
  private JobsKryoClasses() {}

  /** Registers the classes with {@code kryo} (call from the project's KryoRegistrator). */
  public static void register(Kryo kryo) {
    // The width sweep's broadcast setup and cell results.
    kryo.register(WidthSweepJob.CellResult.class);
    kryo.register(WidthSweepJob.ModelSetup.class);
    kryo.register(WidthSweepJob.Cell.class, new JavaSerializer());
    // The train job's broadcast setup, Hadoop configuration and cell results.
    kryo.register(TrainJob.ModelSetup.class);
    kryo.register(TrainJob.Cell.class, new JavaSerializer());
    kryo.register(TrainJob.CellResult.class, new JavaSerializer());
    kryo.register(org.apache.spark.util.SerializableConfiguration.class, new JavaSerializer());
    // The influence job's setups, networks, target specs and LOO engines.
    kryo.register(int[][].class);
    kryo.register(org.ntkstudy.math.Trainer.Loss.class);
    kryo.register(org.ntkstudy.math.Trainer.Optimizer.class);
    kryo.register(InfluenceWork.Setup.class);
    kryo.register(InfluenceWork.CellSpec.class, new JavaSerializer());
    kryo.register(InfluenceWork.Net.class, new JavaSerializer());
    kryo.register(InfluenceWork.Net[].class);
    kryo.register(InfluenceWork.Retrain.class, new JavaSerializer());
    kryo.register(InfluenceWork.CellFigures.class, new JavaSerializer());
    kryo.register(CleanRun.class, new JavaSerializer());
    kryo.register(MalleabilityStage.Cell.class, new JavaSerializer());
    kryo.register(RetrainLooStage.Refits.class, new JavaSerializer());
    kryo.register(org.ntkstudy.math.TrainingRun.Recipe.class, new JavaSerializer());
    kryo.register(org.ntkstudy.math.Influence.class);
    kryo.register(org.ntkstudy.math.Influence.TargetSpec.class, new JavaSerializer());
    kryo.register(org.ntkstudy.math.TransductiveLoo.class);
    // The robustness job's task units, shared data and task results.
    kryo.register(org.ntkstudy.jobs.robustness.RobustnessJob.Unit.class, new JavaSerializer());
    kryo.register(org.ntkstudy.jobs.influence.SeedWork.Data.class, new JavaSerializer());
    kryo.register(org.ntkstudy.jobs.influence.SeedWork.SeedOutcome.class, new JavaSerializer());
    kryo.register(org.ntkstudy.jobs.influence.SeedWork.ModelOutcome.class, new JavaSerializer());
  }
}
