package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.spark.ModelInputs;

/**
 * What every stage of one {@code influence} run shares, fixed once the data is loaded and the
 * factorisation chosen: the session, the configuration, the data, k = ⌈τn⌉ (SCIENCE §5), the
 * output folder and per model (in {@code config.models()} order) its inputs and the broadcast
 * setup of its cells.
 *
 * @param loss the training loss (MSE for a binary task, cross-entropy otherwise)
 * @param k the top-k count of the malleability cells
 * @param block the row block of the driver path's kernels and influence columns
 */
public record InfluenceContext(SparkSession spark, JavaSparkContext jsc, InfluenceJob.Config config, StudyData data,
    Trainer.Loss loss, int k, int block, Factorisation factorisation, RunOutput output, List<ModelInputs> inputs,
    List<Broadcast<InfluenceWork.Setup>> setups) {

  public InfluenceContext {
    inputs = List.copyOf(inputs);
    setups = List.copyOf(setups);
  }

  /** The context of a run: per model its inputs and the broadcast setup of its cells. */
  public static InfluenceContext open(SparkSession spark, InfluenceJob.Config config, StudyData data,
      Trainer.Loss loss, int k, int block, Factorisation factorisation, RunOutput output) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<ModelInputs> inputs = new ArrayList<>();
    List<Broadcast<InfluenceWork.Setup>> setups = new ArrayList<>();
    for (Model model : config.models()) {
      ModelInputs in = ModelInputs.of(jsc, model, data.train().inputs(), data.test().inputs(), block);
      inputs.add(in);
      setups.add(jsc.broadcast(InfluenceWork.Setup.of(model, data, in, loss, config)));
    }
    return new InfluenceContext(spark, jsc, config, data, loss, k, block, factorisation, output, inputs, setups);
  }

  /** True when the kernel is the trained network's Θ_T (the paper's), false for H∞. */
  boolean empirical() {
    return config.kernel() == InfluenceJob.KernelKind.EMPIRICAL;
  }

  /** The number of training examples n. */
  int n() {
    return data.train().n();
  }

  /** Drops the models' broadcast setups. */
  public void release() {
    for (Broadcast<InfluenceWork.Setup> b : setups) {
      b.unpersist(false);
    }
  }
}
