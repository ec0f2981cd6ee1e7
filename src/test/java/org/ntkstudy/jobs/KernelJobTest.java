package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Attention;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.results.KernelResult;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/** Blocked = local for every kernel, several block sizes and partition counts (SCIENCE §2). */
class KernelJobTest {
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void writeData() {
    data = TestData.idxDataset(dir.resolve("idx"), 120, 40, 6, 1, 5);
  }

  static DatasetSpec spec(int n) {
    return DatasetSpec.of(DatasetSpec.MNIST, data.toString(), n).withNTest(17).withSeed(3);
  }

  /** The model's inputs computed locally, without Spark. */
  static Matrix[] localInputs(StudyData s, Model model) {
    Matrix x = s.train().inputs();
    Matrix xs = s.test().inputs();
    if (model == Model.RELU) {
      return new Matrix[] {x, xs};
    }
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(x, c.data());
    return new Matrix[] {Attention.attend(x, c, 0), Attention.attend(xs, c, 0)};
  }

  @ParameterizedTest(name = "{0} {1} block={2} partitions={3}")
  @CsvSource({
    "RELU, ANALYTIC, 16, 0",
    "ATTN, ANALYTIC, 40, 3",
    "RELU, EMPIRICAL, 16, 0",
    "ATTN, EMPIRICAL, 23, 2",
    "RELU, EMPIRICAL, 50, 1"
  })
  void blockedEqualsLocal(Model model, KernelJob.Kind kind, int block, int partitions) {
    int n = 50;
    Path out = dir.resolve("k-" + model + kind + block + partitions);
    KernelJob.Config cfg = new KernelJob.Config(spec(n), out.toString(), false, true, model, kind, 24, 0.01,
        null, block, partitions, 1L << 30, 0, false);
    KernelJob.Result r = new KernelJob(cfg).run(SparkTestSession.get());

    StudyData s = DatasetLoader.load(spec(n), new Configuration(), null);
    Matrix[] in = localInputs(s, model);
    Matrix want;
    Matrix wantTest;
    if (kind == KernelJob.Kind.ANALYTIC) {
      want = NtkKernels.analyticNtk(in[0], in[0], true);
      wantTest = NtkKernels.analyticNtk(in[1], in[0], false);
    } else {
      Matrix w = TwoLayerNetwork.initial(24, in[0].cols(), 0.01, 3, false).weights();
      Matrix d0 = NtkKernels.activationPattern(in[0], w);
      Matrix d1 = NtkKernels.activationPattern(in[1], w);
      want = NtkKernels.empiricalNtk(in[0], d0, in[0], d0, true);
      wantTest = NtkKernels.empiricalNtk(in[1], d1, in[0], d0, false);
    }
    assertTrue(r.train().maxAbsDiff(want) <= 1e-12, "train: " + r.train().maxAbsDiff(want));
    assertTrue(r.test().maxAbsDiff(wantTest) <= 1e-12, "test: " + r.test().maxAbsDiff(wantTest));
    assertTrue(Files.exists(out.resolve("K.npy")) && Files.exists(out.resolve("K_test.npy")));
    double fro = 0;
    for (double v : want.data()) {
      fro += v * v;
    }
    assertEquals(Math.sqrt(fro), r.result().frobenius(), 1e-10 * Math.sqrt(fro));
  }

  @Test
  void initWeightsReplaceTheDraw() throws Exception {
    StudyData s = DatasetLoader.load(spec(30), new Configuration(), null);
    Matrix w = TwoLayerNetwork.initial(10, 36, 1.0, 99, false).weights();
    Path wFile = dir.resolve("W.npy");
    try (OutputStream o = Files.newOutputStream(wFile)) {
      Npy.write(o, w);
    }
    KernelJob.Config cfg = new KernelJob.Config(spec(30), dir.resolve("k-init").toString(), false, false,
        Model.RELU, KernelJob.Kind.EMPIRICAL, 0, 0.01, wFile.toString(), 16, 0, 1L << 30, 0, false);
    KernelJob.Result r = new KernelJob(cfg).run(SparkTestSession.get());
    Matrix x = s.train().inputs();
    Matrix d0 = NtkKernels.activationPattern(x, w);
    assertTrue(r.train().maxAbsDiff(NtkKernels.empiricalNtk(x, d0, x, d0, true)) <= 1e-12);
    assertEquals(10, r.result().width());

    Path bad = dir.resolve("bad.npy");
    try (OutputStream o = Files.newOutputStream(bad)) {
      Npy.write(o, new Matrix(4, 7));
    }
    KernelJob.Config badCfg = new KernelJob.Config(spec(30), dir.resolve("k-bad").toString(), false, false,
        Model.RELU, KernelJob.Kind.EMPIRICAL, 0, 0.01, bad.toString(), 16, 0, 1L << 30, 0, false);
    var e = assertThrows(UserInputException.class, () -> new KernelJob(badCfg).run(SparkTestSession.get()));
    assertTrue(e.getMessage().contains("4x7"), e.getMessage());
  }

  /** The top-k by block Lanczos over the Parquet blocks equals the dense spectrum's top-k. */
  @Test
  void lanczosOverBlocksOnDiskMatchesTheDenseSpectrum() throws java.io.IOException {
    for (boolean lanczos : new boolean[] {false, true}) {
      KernelJob.Config cfg = new KernelJob.Config(spec(100), dir.resolve("lz-" + lanczos).toString(), false, true,
          Model.ATTN, KernelJob.Kind.ANALYTIC, 0, 0.01, null, 30, 0, 1L << 30, 6, lanczos);
      KernelJob.Result r = new KernelJob(cfg).run(SparkTestSession.get());
      double[] dense = org.ntkstudy.math.SymmetricEigen.values(r.train());
      List<Double> top = r.result().topEigenvalues();
      assertEquals(6, top.size());
      for (int i = 0; i < 6; i++) {
        assertEquals(dense[i], top.get(i), 1e-8 * dense[0], "eigenvalue " + (i + 1) + " lanczos=" + lanczos);
      }
      assertTrue(r.result().topEigenvaluesMethod().contains(lanczos ? "Lanczos" : "LAPACK"));
      assertEquals(lanczos, r.result().topEigenvalueResiduals() != null, "residuals only from Lanczos");
      String text = Files.readString(dir.resolve("lz-" + lanczos).resolve("summary.json"));
      assertEquals(r.result(), ResultJson.read(text, KernelResult.class), "summary.json reads back as the result");
    }
  }

  /** H∞ on real data is symmetric and positive semi-definite (λmin reported as it is). */
  @Test
  void analyticNtkOnRealFashionMnistIsPsd() {
    org.junit.jupiter.api.Assumptions.assumeTrue(TestData.fashionMnistInstalled());
    for (Model model : Model.values()) {
      KernelJob.Config cfg = new KernelJob.Config(DatasetSpec.of(DatasetSpec.FASHION_MNIST, null, 300),
          dir.resolve("fm-" + model).toString(), false, false, model, KernelJob.Kind.ANALYTIC, 0, 0.01, null,
          0, 0, 1L << 30, 0, false);
      KernelJob.Result r = new KernelJob(cfg).run(SparkTestSession.get());
      double lmax = r.result().lambdaMax();
      double lmin = r.result().lambdaMin();
      assertTrue(lmin > -1e-12 * lmax, model + ": lambda_min " + lmin);
      for (int i = 0; i < 300; i++) {
        for (int j = 0; j < 300; j++) {
          assertEquals(r.train().get(i, j), r.train().get(j, i), 0.0);
        }
      }
    }
  }
}
