package org.ntkstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.ConditionNumbers;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.spark.GramSpectrum;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/** The whole spectrum job against a local recomputation on the same data. */
class SpectrumJobTest {
  static final List<String> REQUIRED_KEYS = requiredKeys();

  static List<String> requiredKeys() {
    List<String> keys = new ArrayList<>(List.of("n", "d", "lambda_max", "rank_tol", "kappa_tol", "kappa_d",
        "kappa_d_status", "kappa_ridge", "kappa_cubed", "log10_m_star_v1", "log10_m_star_v2"));
    for (int k : ConditionNumbers.KS) {
      keys.add("kappa_" + k + "_G");
      keys.add("kappa_" + k + "_attn");
    }
    return keys;
  }

  static SpectrumJob.Config config(DatasetSpec spec, Path out, int block, boolean npy) {
    return new SpectrumJob.Config(spec, out.toString(), false, npy, block, 0, 1e-10, 0.1, 1e-3,
        GramSpectrum.Route.AUTO, 1L << 30);
  }

  /** n > d (covariance route) and n ≤ d (Gram route), with an always-zero border. */
  @Test
  void matchesLocalComputationOnBothRoutes(@TempDir Path dir) throws Exception {
    Path data = TestData.idxDataset(dir.resolve("idx"), 150, 40, 6, 1, 11);
    for (int n : new int[] {100, 12}) {
      DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), n).withNTest(20);
      Path out = dir.resolve("out-" + n);
      SpectrumJob.Result r = new SpectrumJob(config(spec, out, 30, true)).run(SparkTestSession.get());

      StudyData local = DatasetLoader.load(spec, new Configuration(), null);
      Matrix x = local.train().inputs();
      Matrix g = Blas.multiplyTransposed(x, x);
      double[] eig = SymmetricEigen.values(g);
      assertArrayEquals(eig, r.eigenvaluesG(), 1e-12 * eig[0]);

      Map<String, Object> summary = Json.read(Files.readString(out.resolve("summary.json")));
      for (String k : REQUIRED_KEYS) {
        assertTrue(summary.containsKey(k), "summary.json lacks " + k);
      }
      assertEquals(n, ((Number) summary.get("n")).intValue());
      assertEquals(36, ((Number) summary.get("d")).intValue());
      assertEquals(n > 36 ? "covariance" : "gram", summary.get("route_G"));
      // 16 interior pixels: for n > 16, rank 16 < min(n, d), so κ_d does not exist and says why.
      assertEquals(Math.min(n, 16), ((Number) summary.get("rank_tol")).intValue());
      if (n > 16) {
        assertNull(summary.get("kappa_d"));
        assertEquals("rank_deficient", summary.get("kappa_d_status"));
        assertNull(summary.get("log10_m_star_v2"));
      } else {
        assertEquals(eig[0] / eig[n - 1], ((Number) summary.get("kappa_d")).doubleValue(), 1e-9 * eig[0] / eig[n - 1]);
        assertEquals("ok", summary.get("kappa_d_status"));
        assertNotNull(summary.get("log10_m_star_v2"));
      }
      assertNotNull(summary.get("log10_m_star_v1"));
      assertEquals(eig[0], ((Number) summary.get("lambda_max")).doubleValue(), 1e-12 * eig[0]);
      String text = Files.readString(out.resolve("summary.json"));
      assertFalse(text.contains("Infinity") || text.contains("NaN"), "JSON null, never Infinity/NaN");
      // The file reads back as the job's typed result, and the typed figures are the file's.
      SpectrumResult back = ResultJson.read(text, SpectrumResult.class);
      assertEquals(r.result(), back);
      assertEquals(summary.get("kappa_tol"), back.kappaTol());
      assertEquals(summary.get("kappa_10_G"), back.kappaK(10, "G"));

      try (InputStream in = Files.newInputStream(out.resolve("gram.npy"))) {
        assertTrue(Npy.read(in, "gram.npy").maxAbsDiff(g) <= 1e-12);
      }
      try (InputStream in = Files.newInputStream(out.resolve("eigenvalues_G.npy"))) {
        assertArrayEquals(r.eigenvaluesG(), Npy.read(in, "eigenvalues_G.npy").data(), 0.0);
      }
      long rows = SparkTestSession.get().read().parquet(out.resolve("eigenvalues.parquet").toString()).count();
      assertEquals(3L * n, rows);
      long blocks = SparkTestSession.get().read().parquet(out.resolve(SpectrumJob.GRAM_BLOCKS).toString()).count();
      int nb = (n + 29) / 30;
      assertEquals((long) nb * (nb + 1) / 2, blocks);
      assertManifestComplete(out);
    }
  }

  static void assertManifestComplete(Path out) throws Exception {
    Map<String, Object> manifest = Json.read(Files.readString(out.resolve("manifest.json")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) manifest.get("files");
    List<String> listed = files.stream().map(f -> (String) f.get("path")).sorted().toList();
    List<String> present;
    try (Stream<Path> s = Files.walk(out)) {
      present = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString())
          .filter(p -> !p.equals("manifest.json") && !p.endsWith(".crc")).sorted().toList();
    }
    assertEquals(present, listed, "manifest lists every file");
    for (Map<String, Object> f : files) {
      assertEquals(Files.size(out.resolve((String) f.get("path"))), ((Number) f.get("bytes")).longValue());
    }
  }

  /** The integration run on real Fashion-MNIST (n = 500). */
  @Test
  void realFashionMnist(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.FASHION_MNIST, null, 500);
    Path out = dir.resolve("fm");
    SpectrumJob.Result r = new SpectrumJob(config(spec, out, 0, false)).run(SparkTestSession.get());
    SpectrumResult s = r.result();
    assertEquals(500, s.n());
    assertEquals(784, s.d());
    Map<String, Object> keys = ResultJson.toMap(s);
    for (String k : REQUIRED_KEYS) {
      assertTrue(keys.containsKey(k), k);
    }
    Matrix x = DatasetLoader.load(spec, new Configuration(), null).train().inputs();
    double[] eig = SymmetricEigen.values(Blas.multiplyTransposed(x, x));
    assertArrayEquals(eig, r.eigenvaluesG(), 1e-11 * eig[0]);
    assertEquals(s.kappaD() == null ? "rank_deficient" : "ok", s.kappaDStatus());
    // Attention roughly cubes the conditioning at matched k (SCIENCE §1; not exact after normalising).
    for (int k : new int[] {2, 10, 50}) {
      double e = s.attnExponent(k);
      assertTrue(e > 2.0 && e < 3.5, "kappa_" + k + " exponent " + e);
    }
    assertManifestComplete(out);
  }
}
