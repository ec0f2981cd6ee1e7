package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.SweepMetrics;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.results.Fit;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

class WidthSweepJobTest {
  static WidthSweepJob.Config config(DatasetSpec spec, Path out, List<Integer> widths, int seeds, int partitions) {
    return new WidthSweepJob.Config(spec, out.toString(), false, false, List.of(Model.RELU, Model.ATTN), widths,
        seeds, 0.01, 1e-3, 0.1, 1e-10, 8, 16, partitions, 1L << 30, 1e6);
  }

  /** Cells equal a local recomputation, whatever the partitioning; aggregates are the rows'. */
  @Test
  void cellsMatchLocalComputationAndPartitioningDoesNotMatter(@TempDir Path dir) throws java.io.IOException {
    Path data = TestData.idxDataset(dir.resolve("idx"), 80, 30, 6, 1, 21);
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 40).withNTest(15).withSeed(7);
    List<Integer> widths = List.of(8, 16, 64);
    WidthSweepJob.Result a = new WidthSweepJob(config(spec, dir.resolve("a"), widths, 3, 0)).run(SparkTestSession.get());
    WidthSweepJob.Result b = new WidthSweepJob(config(spec, dir.resolve("b"), widths, 3, 1)).run(SparkTestSession.get());
    assertEquals(2 * 3 * 3, a.cells().size());
    for (int k = 0; k < a.cells().size(); k++) {
      WidthSweepJob.CellResult x = a.cells().get(k);
      WidthSweepJob.CellResult y = b.cells().get(k);
      assertEquals(x.seed, y.seed);
      for (String m : WidthSweepJob.METRICS) {
        assertEquals(x.metric(m), y.metric(m), 0.0, "bit-identical across partitionings");
      }
    }
    long rows = SparkTestSession.get().read().parquet(a.out().toString() + "/sweep.parquet").count();
    assertEquals(18, rows);
    assertEquals(a.result(), ResultJson.read(Files.readString(dir.resolve("a/summary.json")), SweepResult.class),
        "summary.json reads back as the result");
    assertEquals(List.of(8, 16, 64), List.copyOf(a.result().perWidth().get("attn").keySet()));

    // One relu cell recomputed by hand.
    StudyData s = DatasetLoader.load(spec, new Configuration(), null);
    Matrix x = s.train().inputs();
    Matrix xs = s.test().inputs();
    WidthSweepJob.CellResult cell = a.cells().stream().filter(c -> c.model == Model.RELU && c.width == 16 && c.seed == 8)
        .findFirst().orElseThrow();
    Matrix w = TwoLayerNetwork.initial(16, x.cols(), 0.01, 8, false).weights();
    Matrix d = NtkKernels.activationPattern(x, w);
    Matrix ds = NtkKernels.activationPattern(xs, w);
    Matrix theta = NtkKernels.empiricalNtk(x, d, x, d, true);
    Matrix h = NtkKernels.analyticNtk(x, x, true);
    double num = 0;
    double den = 0;
    for (int k = 0; k < h.data().length; k++) {
      num += Math.pow(theta.data()[k] - h.data()[k], 2);
      den += h.data()[k] * h.data()[k];
    }
    assertEquals(Math.sqrt(num / den), cell.metric("e_F"), 1e-12);
    SweepMetrics.Cell local = SweepMetrics.of(theta, NtkKernels.empiricalNtk(xs, ds, x, d, false),
        SweepMetrics.Reference.of(h, NtkKernels.analyticNtk(xs, x, false), s.train().targets(), 1e-3));
    assertEquals(local.eW(), cell.metric("e_W"), 1e-9 * local.eW());
    assertEquals(local.ef(), cell.metric("e_f"), 1e-9 * local.ef());
    assertEquals(local.eOp(), cell.metric("e_op"), 1e-12);
    assertTrue(Blas.multiplyTransposed(x, x).rows() == 40);

    Interval eF = a.result().interval("relu", 16, "e_F");
    double mean = a.cells().stream().filter(c -> c.model == Model.RELU && c.width == 16)
        .mapToDouble(c -> c.metric("e_F")).average().orElseThrow();
    assertEquals(mean, eF.mean(), 1e-15);
    assertTrue(eF.lo() < mean && mean < eF.hi());
  }

  /**
   * The rate (SCIENCE §3): E‖Θ_m − H∞‖²_F = c/m, so on real Fashion-MNIST (n = 200, widths 64 …
   * 4096, 30 seeds) the slope of log10 RMS e_F against log10 m lies in [−0.6, −0.4] for both models.
   */
  @Test
  void frobeniusErrorFallsAsOneOverRootWidthOnRealData(@TempDir Path dir) {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.FASHION_MNIST, null, 200).withNTest(100);
    WidthSweepJob.Config cfg = new WidthSweepJob.Config(spec, dir.resolve("rate").toString(), false, false,
        List.of(Model.RELU, Model.ATTN), List.of(64, 128, 256, 512, 1024, 2048, 4096), 30, 0.01, 1e-3, 0.1,
        1e-10, 64, 0, 0, 1L << 30, 1e6);
    WidthSweepJob.Result r = new WidthSweepJob(cfg).run(SparkTestSession.get());
    for (String model : List.of("relu", "attn")) {
      Fit f = r.result().fitRms(model, "e_F");
      double slope = f.slope();
      assertTrue(slope >= -0.6 && slope <= -0.4, model + " slope " + slope);
      assertEquals(30, f.seeds());
      assertEquals(7, f.widths());
    }
  }

  /** H∞'s eigenvalues, written by the sweep, are SymmetricEigen.values of the H∞ it writes (--npy). */
  @Test
  void writesTheEigenvaluesOfHInf(@TempDir Path dir) throws IOException {
    Path data = TestData.idxDataset(dir.resolve("idx"), 60, 20, 6, 1, 21);
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 30).withNTest(10);
    WidthSweepJob.Config cfg = new WidthSweepJob.Config(spec, dir.resolve("sweep").toString(), false, true,
        List.of(Model.RELU, Model.ATTN), List.of(8), 1, 0.01, 1e-3, 0.1, 1e-10, 8, 16, 0, 1L << 30, 1e6);
    Path out = Path.of(new WidthSweepJob(cfg).run(SparkTestSession.get()).out().toUri());
    List<String> csv = Files.readAllLines(out.resolve("H_inf_eigenvalues.csv"));
    assertEquals("model,index,eigenvalue", csv.get(0));
    assertEquals(1 + 2 * 30, csv.size());
    for (Model model : List.of(Model.RELU, Model.ATTN)) {
      double[] want = SymmetricEigen.values(Npy.read(out.resolve("H_inf_" + model.key() + ".npy").toString(),
          new Configuration()));
      double[] fromCsv = csv.stream().skip(1).filter(l -> l.startsWith(model.key() + ","))
          .mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray();
      assertArrayEquals(want, fromCsv, 0.0, model.key());
      List<String> indices = csv.stream().skip(1).filter(l -> l.startsWith(model.key() + ","))
          .map(l -> l.split(",")[1]).toList();
      assertEquals("1", indices.get(0));
      assertEquals("30", indices.get(29));
      assertArrayEquals(want, Npy.read(out.resolve("H_inf_eigenvalues_" + model.key() + ".npy").toString(),
          new Configuration()).data(), 0.0);
      double[] fromParquet = SparkTestSession.get().read().parquet(out.resolve("H_inf_eigenvalues.parquet").toString())
          .filter("model = '" + model.key() + "'").orderBy("index").select("eigenvalue").collectAsList().stream()
          .mapToDouble(r -> r.getDouble(0)).toArray();
      assertArrayEquals(want, fromParquet, 0.0);
    }
  }
}
