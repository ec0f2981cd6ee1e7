package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.TrainResult;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/** The train grid on Spark equals the same runs done locally, whatever the partitioning. */
class TrainJobTest {
  static TrainJob.Config config(DatasetSpec spec, Path out, int partitions) {
    return new TrainJob.Config(spec, out.toString(), false, List.of(Model.RELU, Model.ATTN), List.of(8, 32),
        List.of(0.01, 1.0), List.of(Trainer.Optimizer.ADAM, Trainer.Optimizer.GD), 2, TrainingProfile.QUICK, 3,
        1e-2, 0, 16, 1e-3, false, null, null, 1e-3, 0, partitions);
  }

  @Test
  void gridMatchesLocalRunsAndWritesWeights(@TempDir Path dir) throws Exception {
    Path data = TestData.idxDataset(dir.resolve("idx"), 200, 60, 6, 1, 13);
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 30).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
    TrainJob.Result a = new TrainJob(config(spec, dir.resolve("a"), 0)).run(SparkTestSession.get());
    TrainJob.Result b = new TrainJob(config(spec, dir.resolve("b"), 3)).run(SparkTestSession.get());
    assertEquals(2 * 2 * 2 * 2 * 2, a.cells().size());
    for (int k = 0; k < a.cells().size(); k++) {
      assertArrayEquals(a.cells().get(k).figures, b.cells().get(k).figures, 0.0, "same numbers, any partitioning");
    }
    assertEquals(32, SparkTestSession.get().read().parquet(a.out() + "/train.parquet").count());
    assertEquals(32 * 4, SparkTestSession.get().read().parquet(a.out() + "/curves.parquet").count());
    assertEquals(a.result(), ResultJson.read(Files.readString(dir.resolve("a/summary.json")), TrainResult.class),
        "summary.json reads back as the result");
    assertEquals(a.result().groups(), b.result().groups(), "the same groups, any partitioning");
    // SCIENCE §6: the chance level of the 12 test points, and every group's flag against it.
    org.ntkstudy.results.ChanceLevel chance = a.result().chance();
    StudyData test = DatasetLoader.load(spec, new Configuration(), null);
    long zeros = java.util.Arrays.stream(test.test().classIndex()).filter(c -> c == 0).count();
    assertEquals(Math.max(zeros, 12 - zeros) / 12.0, chance.chance(), 0.0);
    assertEquals(12, chance.nTest());
    for (String model : List.of("relu", "attn")) {
      double acc = a.result().interval(model, 32, 1.0, "gd", "test_accuracy").mean();
      assertEquals(acc <= chance.threshold(), a.result().atChance(model, 32, 1.0, "gd"), model);
    }
    assertTrue(a.result().collapse().topShare() > 0 && a.result().collapse().topShare() <= 1);
    assertEquals(32, SparkTestSession.get().read().parquet(a.out() + "/train.parquet").filter("at_chance or not at_chance")
        .count(), "every cell has its at-chance flag");

    // One relu Adam cell, redone by hand.
    StudyData s = DatasetLoader.load(spec, new Configuration(), null);
    TrainJob.CellResult cell = a.cells().stream().filter(c -> c.model.equals("relu") && c.width == 32
        && c.sigma0 == 0.01 && c.optimizer.equals("adam") && c.seed == 1).findFirst().orElseThrow();
    Matrix w0 = TwoLayerNetwork.initial(32, 36, 0.01, 1, false).weights();
    Matrix signs = TrainingRun.signs(32, 1, 0.01, 36, 1, false);
    TrainingRun.Result local = TrainingRun.train(s.train().inputs(), s.train().targets(), s.test().inputs(),
        s.test().targets(), w0, signs, Trainer.Loss.MSE, new TrainingRun.Recipe(Trainer.Optimizer.ADAM, 3, 1e-2, 16,
            1e-3), 1, new Matrix(12, 1));
    assertEquals(local.kernelMovement(), cell.figures[2], 0.0);
    assertEquals(local.alignmentT(), cell.figures[5], 0.0);
    double[] movement = a.cells().stream().filter(c -> c.model.equals("relu") && c.width == 32 && c.sigma0 == 0.01
        && c.optimizer.equals("adam")).mapToDouble(c -> c.figures[2]).toArray();
    assertEquals(Interval.of(movement), a.result().interval("relu", 32, 0.01, "adam", "kernel_movement"));
    Path wFile = a.out().toUri().getPath() == null ? null
        : Path.of(a.out().toUri().getPath(), TrainResult.weightsDir("relu", 0.01, "adam", 32, 1), "W.npy");
    try (InputStream in = Files.newInputStream(wFile)) {
      Matrix w = Npy.read(in, "W.npy");
      assertArrayEquals(local.weights().data(), w.data(), 0.0, "the trained weights, as trained");
    }
    assertTrue(Files.exists(wFile.resolveSibling("a.npy")));
  }

  /** --init-weights and --init-signs reproduce a full-batch gradient-descent run exactly. */
  @Test
  void givenInitialisationReproducesAGradientDescentRun(@TempDir Path dir) throws Exception {
    Path data = TestData.idxDataset(dir.resolve("idx"), 200, 60, 6, 1, 17);
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 30).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
    java.util.Random r = new java.util.Random(4);
    Matrix w0 = new Matrix(10, 36);
    for (int k = 0; k < w0.data().length; k++) {
      w0.data()[k] = 0.3 * r.nextGaussian();
    }
    double[] a = new double[10];
    for (int k = 0; k < 10; k++) {
      a[k] = k % 3 == 0 ? 1 : -1;
    }
    Path wFile = dir.resolve("W.npy");
    Path aFile = dir.resolve("a.npy");
    try (var o = Files.newOutputStream(wFile)) {
      Npy.write(o, w0);
    }
    try (var o = Files.newOutputStream(aFile)) {
      Npy.write(o, a);
    }
    TrainJob.Config cfg = new TrainJob.Config(spec, dir.resolve("out").toString(), false, List.of(Model.RELU),
        List.of(10), List.of(1.0), List.of(Trainer.Optimizer.GD), 1, TrainingProfile.QUICK, 4, 1e-3, 0.5, 16, 0.0,
        false, wFile.toString(), aFile.toString(), 1e-3, 0, 0);
    TrainJob.Result res = new TrainJob(cfg).run(SparkTestSession.get());
    StudyData s = DatasetLoader.load(spec, new Configuration(), null);
    TrainingRun.Result local = TrainingRun.train(s.train().inputs(), s.train().targets(), s.test().inputs(),
        s.test().targets(), w0, new Matrix(10, 1, a), Trainer.Loss.MSE,
        new TrainingRun.Recipe(Trainer.Optimizer.GD, 4, 0.5, 16, 0.0), 0, new Matrix(12, 1));
    Path written = Path.of(res.out().toUri().getPath(), TrainResult.weightsDir("relu", 1.0, "gd", 10, 0), "W.npy");
    try (InputStream in = Files.newInputStream(written)) {
      assertArrayEquals(local.weights().data(), Npy.read(in, "W.npy").data(), 0.0);
    }
    assertEquals(0.5, res.cells().get(0).lr, 0.0);
  }
}
