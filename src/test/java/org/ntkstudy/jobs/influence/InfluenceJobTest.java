package org.ntkstudy.jobs.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Npy;
import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.results.DualRow;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.TrainResult;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/** The influence job against local recomputations of what it writes. */
public class InfluenceJobTest {
  public static InfluenceJob.Config config(DatasetSpec spec, Path out, String trainDir, InfluenceJob.KernelKind kernel,
      List<String> interventions, InfluenceJob.Switch retrainLoo) {
    return new InfluenceJob.Config(spec, out.toString(), false, true, 1L << 30, List.of(Model.RELU, Model.ATTN),
        List.of(Attacks.Kind.FGSM, Attacks.Kind.PGD), interventions, 1e-3, kernel, Influence.Target.MARGIN, trainDir,
        16, 0.01, Trainer.Optimizer.ADAM, 2, TrainingProfile.QUICK, 3, 1e-2, 0, 16, 1e-3, false, 0.3, 0.1, false,
        false, retrainLoo, InfluenceJob.Switch.AUTO, 1000, 0);
  }

  /** Two seeds of relu and attn, width 16, three quick epochs: the networks both tests read. */
  public static TrainJob.Config trainConfig(DatasetSpec spec, Path dir) {
    return new TrainJob.Config(spec, dir.resolve("train").toString(), false, List.of(Model.RELU, Model.ATTN),
        List.of(16), List.of(0.01), List.of(Trainer.Optimizer.ADAM), 2, TrainingProfile.QUICK, 3, 1e-2, 0, 16, 1e-3,
        false, null, null, 1e-3, 0, 0);
  }

  static DatasetSpec spec(Path dir) {
    Path data = TestData.idxDataset(dir.resolve("idx"), 200, 60, 6, 1, 21);
    return DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 40).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
  }

  @Test
  void influenceFromTrainedNetworksEqualsLocalRecomputation(@TempDir Path dir) throws Exception {
    DatasetSpec spec = spec(dir);
    SparkSession spark = SparkTestSession.get();
    TrainJob.Config tc = trainConfig(spec, dir);
    TrainJob.Result trained = new TrainJob(tc).run(spark);
    InfluenceJob.Result r = new InfluenceJob(config(spec, dir.resolve("infl"), trained.out().toString(),
        InfluenceJob.KernelKind.EMPIRICAL, List.of("transformed", "curated", "adversarial"),
        InfluenceJob.Switch.ON)).run(spark);

    // Every influence of relu seed 1, recomputed from the W.npy the train job wrote.
    StudyData s = DatasetLoader.load(spec, new Configuration(), null);
    Matrix w;
    try (InputStream in = Files.newInputStream(Path.of(trained.out().toUri().getPath(),
        TrainResult.weightsDir("relu", 0.01, "adam", 16, 1), "W.npy"))) {
      w = Npy.read(in, "W.npy");
    }
    Matrix x = s.train().inputs();
    Matrix xt = s.test().inputs();
    Matrix k = TrainingRun.ntk(x, w);
    Matrix kc = NtkKernels.empiricalNtkPacked(xt, NtkKernels.packedPattern(xt, w), x, NtkKernels.packedPattern(x, w),
        16, false);
    Influence.TargetSpec ts = Influence.TargetSpec.of(Influence.Target.MARGIN, s.test().targets(), null);
    Matrix expected = Influence.naiveRefits(k, kc, s.train().targets(), 1e-3, ts);
    List<Row> rows = spark.read().parquet(r.out() + "/influence.parquet")
        .filter("model = 'relu' AND seed = 1").collectAsList();
    assertEquals(40 * 12, rows.size());
    double max = 0;
    for (double v : expected.data()) {
      max = Math.max(max, Math.abs(v));
    }
    for (Row row : rows) {
      int i = row.getInt(row.fieldIndex("train_index"));
      int t = row.getInt(row.fieldIndex("test_index"));
      assertEquals(expected.get(t, i), row.getDouble(row.fieldIndex("influence")), 1e-9 * max, "I(" + i + "," + t + ")");
      assertEquals(s.train().sourceIndex()[i], row.getInt(row.fieldIndex("source_index")));
      assertEquals(s.train().labels()[i], row.getInt(row.fieldIndex("label")));
    }
    assertEquals(2L * 2 * 40 * 12, spark.read().parquet(r.out() + "/influence.parquet").count());
    // influence.npy is the first model's first seed (relu, seed 0).
    try (InputStream in = Files.newInputStream(Path.of(r.out().toUri().getPath(), "influence.npy"))) {
      Matrix npy = Npy.read(in, "influence.npy");
      assertEquals(12, npy.rows());
      assertEquals(40, npy.cols());
    }

    // malleability.parquet: models x seeds x (2 attacks x 2 interventions + curated).
    List<Row> mall = spark.read().parquet(r.out() + "/malleability.parquet").collectAsList();
    assertEquals(2 * 2 * (2 * 2 + 1), mall.size());
    for (Row m : mall) {
      double flip = m.getDouble(m.fieldIndex("flip_rate"));
      assertTrue(flip >= 0 && flip <= 1, m.toString());
      assertEquals(m.getString(m.fieldIndex("intervention")).equals("curated"), m.isNullAt(m.fieldIndex("control_random")));
    }
    InfluenceResult summary = r.result();
    assertEquals(1e-3, summary.lambda());
    MalleabilityFigures cell = summary.figures("attn", "pgd", "transformed");
    for (String metric : MalleabilityRow.METRICS) {
      Interval iv = cell.figure(metric);
      assertNotNull(iv.mean(), metric);
      assertTrue(iv.lo() <= iv.mean() && iv.mean() <= iv.hi());
    }
    assertNotNull(summary.ratio("pgd", "transformed"));
    assertNotNull(summary.excessRatio("pgd", "transformed"));
    assertEquals(List.of(0.3), summary.radii());
    assertEquals(summary.malleability(), curatedAdded(summary.atRadius(0.3).malleability(), summary.malleability()),
        "by_radius.0.3 is the top level without curated");
    assertEveryRateInTheUnitInterval(summary);
    // The paired per-example outcomes reproduce each cell's flip rate and control rate exactly.
    for (Row m : mall) {
      int evaluated = m.getInt(m.fieldIndex("evaluated"));
      assertEquals(Malleability.topCount(0.1, 40), evaluated);
      assertEquals((double) m.getInt(m.fieldIndex("flips")) / evaluated, m.getDouble(m.fieldIndex("flip_rate")), 0.0,
          m.toString());
      boolean curatedRow = m.getString(m.fieldIndex("intervention")).equals("curated");
      assertEquals(curatedRow, m.isNullAt(m.fieldIndex("control_flips")), m.toString());
      assertEquals(curatedRow, m.isNullAt(m.fieldIndex("eps")), m.toString());
      assertEquals(curatedRow, m.isNullAt(m.fieldIndex("excess")), m.toString());
      if (!curatedRow) {
        double control = (double) m.getInt(m.fieldIndex("control_flips")) / evaluated;
        assertEquals(control, m.getDouble(m.fieldIndex("control_random")), 0.0, m.toString());
        assertEquals(0.3, m.getDouble(m.fieldIndex("eps")), 0.0);
        assertEquals(m.getDouble(m.fieldIndex("flip_rate")) - control, m.getDouble(m.fieldIndex("excess")), 0.0);
      }
    }
    // The summary's rates are the seed means of the rows' (one rounding: pooled counts).
    for (String model : List.of("relu", "attn")) {
      double[] rates = mall.stream().filter(m -> m.getString(0).equals(model) && m.getString(1).equals("pgd")
          && m.getString(2).equals("transformed")).mapToDouble(m -> m.getDouble(m.fieldIndex("flip_rate"))).toArray();
      assertEquals(2, rates.length);
      assertEquals((rates[0] + rates[1]) / 2, summary.figures(model, "pgd", "transformed").flipRate().mean(), 1e-15);
    }
    assertNotNull(summary.transductive());
    assertNotNull(summary.retrainLoo());
    assertEquals(List.of("relu", "attn"), List.copyOf(summary.retrainLoo().models().keySet()));
    assertNotNull(summary.dual().verdict().statement());
    // summary.json says exactly what the job returned.
    assertEquals(summary, ResultJson.read(Files.readString(Path.of(r.out().toUri().getPath(), "summary.json")),
        InfluenceResult.class));
    assertEquals(2L * 40, spark.read().parquet(r.out() + "/transductive.parquet").count());
    assertEquals(2L * 2 * 40, spark.read().parquet(r.out() + "/retrain_loo.parquet").count());
    assertTrue(Files.exists(Path.of(r.out().toUri().getPath(), "dual.csv")));
    assertTrue(Files.exists(Path.of(r.out().toUri().getPath(), "malleability.csv")));

    // The curated cell of relu seed 0, by hand: remove the top k, refit naively on the survivors.
    Matrix w0;
    try (InputStream in = Files.newInputStream(Path.of(trained.out().toUri().getPath(),
        TrainResult.weightsDir("relu", 0.01, "adam", 16, 0), "W.npy"))) {
      w0 = Npy.read(in, "W.npy");
    }
    Matrix k0 = TrainingRun.ntk(x, w0);
    Matrix kc0 = NtkKernels.empiricalNtkPacked(xt, NtkKernels.packedPattern(xt, w0), x,
        NtkKernels.packedPattern(x, w0), 16, false);
    double[] before = Influence.totals(Influence.naiveRefits(k0, kc0, s.train().targets(), 1e-3, ts));
    int kk = Malleability.topCount(0.1, 40);
    int[] ranking = Malleability.rankByMagnitude(before);
    int[] keep = Arrays.stream(ranking, kk, 40).sorted().toArray();
    Matrix kKeep = TrainingRun.ntk(x.selectRows(keep), w0);
    Matrix kcKeep = NtkKernels.empiricalNtkPacked(xt, NtkKernels.packedPattern(xt, w0), x.selectRows(keep),
        NtkKernels.packedPattern(x.selectRows(keep), w0), 16, false);
    double[] after = Influence.totals(Influence.naiveRefits(kKeep, kcKeep, s.train().targets().selectRows(keep), 1e-3,
        ts));
    int flips = 0;
    for (int q = 0; q < kk; q++) {
      int orig = ranking[kk + q];
      int pos = Arrays.binarySearch(keep, orig);
      flips += before[orig] * after[pos] < 0 ? 1 : 0;
    }
    Row curated = mall.stream().filter(m -> m.getString(0).equals("relu") && m.getString(2).equals("curated")
        && m.getLong(3) == 0).findFirst().orElseThrow();
    assertEquals((double) flips / kk, curated.getDouble(curated.fieldIndex("flip_rate")), 0.0);
  }

  /** {@code byRadius} with the curated cells of {@code top} added in their place. */
  static Map<String, Map<String, Map<String, MalleabilityFigures>>> curatedAdded(
      Map<String, Map<String, Map<String, MalleabilityFigures>>> byRadius,
      Map<String, Map<String, Map<String, MalleabilityFigures>>> top) {
    Map<String, Map<String, Map<String, MalleabilityFigures>>> out = new LinkedHashMap<>();
    top.forEach((model, byAttack) -> byAttack.forEach((attack, byIv) -> byIv.forEach((iv, f) -> {
      MalleabilityFigures g = attack.equals("none") ? f : byRadius.get(model).get(attack).get(iv);
      out.computeIfAbsent(model, x -> new LinkedHashMap<>()).computeIfAbsent(attack, x -> new LinkedHashMap<>())
          .put(iv, g);
    })));
    return out;
  }

  /**
   * No rate interval of the summary leaves [0, 1] (flip rates, controls, noise floors, at every
   * radius and in the dual table), no excess interval leaves [−1, 1], and each interval holds its mean.
   */
  static void assertEveryRateInTheUnitInterval(InfluenceResult summary) {
    List<Map<String, Map<String, Map<String, MalleabilityFigures>>>> trees = new ArrayList<>();
    trees.add(summary.malleability());
    summary.byRadius().values().forEach(r -> trees.add(r.malleability()));
    int checked = 0;
    for (var tree : trees) {
      for (var byAttack : tree.values()) {
        for (var byIv : byAttack.values()) {
          for (MalleabilityFigures f : byIv.values()) {
            for (String name : List.of("flip_rate", "control_random", "control_noise_floor", "excess")) {
              Interval iv = f.figure(name);
              if (iv == null || !iv.present()) {
                continue;
              }
              double floor = name.equals("excess") ? -1 : 0;
              assertTrue(floor <= iv.lo() && iv.lo() <= iv.mean() && iv.mean() <= iv.hi() && iv.hi() <= 1,
                  name + " " + iv);
              checked++;
            }
          }
        }
      }
    }
    assertTrue(checked > 0);
    summary.dual().table().values().forEach(row -> row.vulnerability().forEach((name, iv) ->
        assertTrue(0 <= iv.lo() && iv.hi() <= 1, "dual " + name + " " + iv)));
  }

  @Test
  void twoRadiiGiveCellsPerRadius(@TempDir Path dir) throws Exception {
    DatasetSpec spec = spec(dir);
    SparkSession spark = SparkTestSession.get();
    String trainDir = new TrainJob(trainConfig(spec, dir)).run(spark).out().toString();
    InfluenceJob.Config one = budgeted(spec, dir.resolve("one"), trainDir, InfluenceJob.KernelKind.EMPIRICAL,
        List.of("transformed", "curated"), 1L << 30, 16);
    InfluenceJob.Config two = one.withOut(dir.resolve("two").toString(), false).withAttackEps(List.of(0.3, 0.1));
    assertEquals(one.fingerprint(new Configuration()).without(MalleabilityStage.AXES),
        one.withAttackEps(List.of(0.3, 0.1)).fingerprint(new Configuration()).without(MalleabilityStage.AXES),
        "the radii are an axis of the cells, not a setting of each");
    List<String> keys = MalleabilityStage.specs(two, 4).stream()
        .map(cs -> MalleabilityStage.cellKey("relu", 0, cs)).toList();
    assertEquals(List.of("relu_seed0_fgsm_transformed_eps0.3", "relu_seed0_none_curated",
        "relu_seed0_fgsm_transformed_eps0.1"), keys.stream().distinct().toList());
    assertEquals(4 * 3, keys.size(), "4 clean runs x (2 radii x 1 attack + curated once)");

    InfluenceJob.Result r1 = new InfluenceJob(one).run(spark);
    InfluenceJob.Result r2 = new InfluenceJob(two).run(spark);
    InfluenceResult s = r2.result();
    assertEquals(List.of(0.3, 0.1), s.radii());
    assertEquals(0.3, s.eps());
    assertEquals(List.of("0.3", "0.1"), List.copyOf(s.byRadius().keySet()));
    assertEveryRateInTheUnitInterval(s);
    // The first radius of a two-radius run is the one-radius run: cells, summary keys and ratios.
    assertEquals(r1.result().malleability(), s.malleability());
    assertEquals(r1.result().ratio(), s.ratio());
    assertEquals(r1.result().excessRatio(), s.excessRatio());
    assertEquals(r1.result().byRadius().get("0.3"), s.atRadius(0.3));
    assertNotNull(s.atRadius(0.1).figures("attn", "fgsm", "transformed"));
    assertNotNull(s.atRadius(0.1).excessRatio("fgsm", "transformed"));
    assertNull(s.atRadius(0.1).figures("attn", "none", "curated"), "curated has no radius");

    List<Row> rows = spark.read().parquet(r2.out() + "/malleability.parquet").collectAsList();
    assertEquals(2 * 2 * (2 + 1), rows.size());
    assertEquals(2 * 2, rows.stream().filter(m -> !m.isNullAt(m.fieldIndex("eps"))
        && m.getDouble(m.fieldIndex("eps")) == 0.1).count());
    List<Row> first = spark.read().parquet(r1.out() + "/malleability.parquet").collectAsList();
    assertEquals(first, rows.subList(0, first.size()), "the first radius's rows come first, as a one-radius run's");
    List<String> header = List.of(Files.readString(Path.of(r2.out().toUri().getPath(), "malleability.csv"))
        .lines().findFirst().orElseThrow().split(","));
    assertEquals(List.of("model", "attack", "intervention", "seed", "flip_rate", "spearman", "topk_overlap",
        "control_random", "control_noise_floor", "eps", "excess", "evaluated", "flips", "control_flips"), header);
    // The example images stay the first radius's.
    for (String f : List.of("examples/attn_fgsm.npy", "examples/attn_fgsm.csv")) {
      assertEquals(Files.readString(Path.of(r1.out().toUri().getPath(), f), java.nio.charset.StandardCharsets.ISO_8859_1),
          Files.readString(Path.of(r2.out().toUri().getPath(), f), java.nio.charset.StandardCharsets.ISO_8859_1), f);
    }
  }

  /** The job with a driver budget of {@code maxDriverBytes} and tiles of {@code block}. */
  static InfluenceJob.Config budgeted(DatasetSpec spec, Path out, String trainDir, InfluenceJob.KernelKind kernel,
      List<String> interventions, long maxDriverBytes, int block) {
    return new InfluenceJob.Config(spec, out.toString(), false, true, maxDriverBytes, List.of(Model.RELU, Model.ATTN),
        List.of(Attacks.Kind.FGSM), interventions, 1e-3, kernel, Influence.Target.OUTPUT, trainDir, 16, 0.01,
        Trainer.Optimizer.ADAM, 2, TrainingProfile.QUICK, 3, 1e-2, 0, 16, 1e-3, false, 0.3, 0.1, false, false,
        InfluenceJob.Switch.AUTO, InfluenceJob.Switch.AUTO, 1000, block);
  }

  @Test
  void pastTheDriverBudgetTheTiledFactorisationGivesTheDriversResults(@TempDir Path dir) throws Exception {
    DatasetSpec spec = spec(dir);
    SparkSession spark = SparkTestSession.get();
    TrainJob.Config tc = trainConfig(spec, dir);
    String trainDir = new TrainJob(tc).run(spark).out().toString();
    // n = 40, n* = 12: K + lambda I and its inverse with K* take 33,280 bytes; 30,000 leave room only for
    // 8-row tiles (5 strips).
    for (InfluenceJob.KernelKind kernel : InfluenceJob.KernelKind.values()) {
      List<String> ivs = kernel == InfluenceJob.KernelKind.EMPIRICAL ? List.of("transformed", "curated")
          : List.of("curated");
      InfluenceJob.Result driver = new InfluenceJob(budgeted(spec, dir.resolve("driver-" + kernel), trainDir, kernel,
          ivs, 1L << 30, 16)).run(spark);
      InfluenceJob.Result tiled = new InfluenceJob(budgeted(spec, dir.resolve("tiled-" + kernel), trainDir, kernel,
          ivs, 30_000, 8)).run(spark);
      assertTrue(driver.result().factorisation().contains("on the driver"));
      assertEquals("tiled Cholesky + triangular inverse across the executors (8 x 8 tiles)",
          tiled.result().factorisation());

      String order = "model, seed, train_index, test_index";
      List<Row> a = spark.read().parquet(driver.out() + "/influence.parquet").orderBy(order.split(", ")[0],
          "seed", "train_index", "test_index").collectAsList();
      List<Row> b = spark.read().parquet(tiled.out() + "/influence.parquet").orderBy(order.split(", ")[0],
          "seed", "train_index", "test_index").collectAsList();
      assertEquals(2 * 2 * 40 * 12, a.size());
      assertEquals(a.size(), b.size());
      double max = a.stream().mapToDouble(r -> Math.abs(r.getDouble(r.fieldIndex("influence")))).max().orElseThrow();
      for (int q = 0; q < a.size(); q++) {
        Row x = a.get(q);
        Row y = b.get(q);
        for (String f : List.of("model", "seed", "train_index", "source_index", "label", "test_index")) {
          assertEquals(x.get(x.fieldIndex(f)), y.get(y.fieldIndex(f)), f);
        }
        assertEquals(x.getDouble(x.fieldIndex("influence")), y.getDouble(y.fieldIndex("influence")), 1e-9 * max,
            kernel + " " + x);
      }
      // The malleability cells ran in tiles from the driver, and give the same figures.
      List<Row> ma = spark.read().parquet(driver.out() + "/malleability.parquet")
          .orderBy("model", "attack", "intervention", "seed").collectAsList();
      List<Row> mb = spark.read().parquet(tiled.out() + "/malleability.parquet")
          .orderBy("model", "attack", "intervention", "seed").collectAsList();
      assertEquals(2 * 2 * ivs.size(), ma.size());
      assertEquals(ma.size(), mb.size());
      for (int q = 0; q < ma.size(); q++) {
        for (String f : List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor")) {
          Row x = ma.get(q);
          Row y = mb.get(q);
          if (x.isNullAt(x.fieldIndex(f))) {
            assertTrue(y.isNullAt(y.fieldIndex(f)), f);
          } else {
            assertEquals(x.getDouble(x.fieldIndex(f)), y.getDouble(y.fieldIndex(f)), 1e-9, kernel + " " + f + " " + x);
          }
        }
      }
      // The dual table: kernel ridge with H_inf and the networks' Theta_T alignment, both ways.
      Map<String, DualRow> da = driver.result().dual().table();
      Map<String, DualRow> db = tiled.result().dual().table();
      for (String model : List.of("relu", "attn")) {
        DualRow ra = da.get(model);
        DualRow rb = db.get(model);
        assertEquals(ra.krrTestMse(), rb.krrTestMse(), 1e-9 * Math.abs(ra.krrTestMse()), model + " krr_test_mse");
        assertEquals(ra.krrTestAccuracy(), rb.krrTestAccuracy(), 1e-9 * Math.abs(ra.krrTestAccuracy()),
            model + " krr_test_accuracy");
        assertEquals(ra.krrAlignment(), rb.krrAlignment(), 1e-9 * Math.abs(ra.krrAlignment()), model + " krr_alignment");
        assertEquals(ra.netAlignmentT().mean(), rb.netAlignmentT().mean(), 1e-12, model + " alignment");
      }
      // The analyses that need the whole kernel in one task are skipped past the budget.
      assertNotNull(driver.result().transductive());
      assertNull(tiled.result().transductive());
    }
    // Past even the tiled path's needs: a clear error, nothing written.
    UserInputException e = assertThrows(UserInputException.class, () -> new InfluenceJob(budgeted(spec,
        dir.resolve("none"), trainDir, InfluenceJob.KernelKind.EMPIRICAL, List.of("curated"), 10_000, 16)).run(spark));
    assertTrue(e.getMessage().contains("even with the tiled factorisation") && e.getMessage().contains("--max-driver-mb"),
        e.getMessage());
    try (var listing = Files.list(dir)) {
      assertTrue(listing.noneMatch(p -> p.getFileName().toString().contains("none")), "a refused run leaves nothing");
    }
  }

  @Test
  void missingTrainedNetworksAreAClearError(@TempDir Path dir) {
    DatasetSpec spec = spec(dir);
    UserInputException e = assertThrows(UserInputException.class, () -> new InfluenceJob(config(spec,
        dir.resolve("x"), dir.resolve("nowhere").toString(), InfluenceJob.KernelKind.EMPIRICAL, List.of("curated"),
        InfluenceJob.Switch.OFF)).run(SparkTestSession.get()));
    assertTrue(e.getMessage().contains("--train-dir") && e.getMessage().contains("W.npy"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("x")), "nothing written");
  }

  @Test
  void badOptionsAreClearErrors(@TempDir Path dir) {
    DatasetSpec spec = spec(dir);
    UserInputException e = assertThrows(UserInputException.class, () -> config(spec, dir, null,
        InfluenceJob.KernelKind.ANALYTIC, List.of("sideways"), InfluenceJob.Switch.OFF));
    assertTrue(e.getMessage().contains("sideways"), e.getMessage());
  }
}
