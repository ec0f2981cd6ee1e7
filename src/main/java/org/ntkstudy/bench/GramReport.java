package org.ntkstudy.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkstudy.bench.GramBench.Figure;
import org.ntkstudy.bench.GramBench.Ratio;
import org.ntkstudy.bench.support.NumpyRunner;

/** The Gram suite's printed table and the definitions its summary.json carries. */
final class GramReport {
  private GramReport() {}

  /** The printed table: setup, every figure with its rounds, the ratios, the checks. */
  static String report(Map<String, Object> s, List<Figure> figures, List<Ratio> ratios, double gramError,
      double bmError, Double eigenDiff) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nbench: n = %s, d = %s, block = %s (%s blocks, %s pairs), eigen-n = %s,"
            + " median of %s rounds%n", s.get("n"), s.get("d"), s.get("block"), s.get("blocks"), s.get("block_pairs"),
        s.get("eigen_n"), s.get("repeats")));
    @SuppressWarnings("unchecked")
    Map<String, Object> np = (Map<String, Object>) s.get("numpy");
    sb.append(String.format(Locale.ROOT,
        "BLAS %s, LAPACK %s, OPENBLAS_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %s, %s cores%n",
        s.get("blas"), s.get("lapack"), s.get("openblas_num_threads"), s.get("openblas_coretype"),
        s.get("spark_master"), s.get("cores")));
    sb.append(String.format(Locale.ROOT, "NumPy: %s%n", np.getOrDefault("version", np.get("status"))
        + (np.get("openblas_corename") != null
            ? " (OpenBLAS " + np.get("blas_version") + ", " + np.get("openblas_corename") + ", " + np.get("threads")
                + " threads)" : "")));
    sb.append(String.format(Locale.ROOT, "host load average (1/5/15 min) before %s, after %s%n%n",
        s.get("load_average_before"), s.get("load_average_after")));
    sb.append(String.format(Locale.ROOT, "  %-50s %10s %9s   %s%n", "figure", "median s", "GFLOP/s", "rounds (s)"));
    for (Figure f : figures) {
      StringBuilder rounds = new StringBuilder();
      for (double v : f.runs()) {
        rounds.append(String.format(Locale.ROOT, "%.3f ", v));
      }
      String label = f.label() + (f.key().startsWith("eigen") ? " " + s.get("eigen_n") + "x" + s.get("eigen_n") : "");
      sb.append(String.format(Locale.ROOT, "  %-50s %10.3f %9s   %s%n", label, f.medianSeconds(),
          f.gflops() == null ? "-" : String.format(Locale.ROOT, "%.1f", f.gflops()), rounds.toString().trim()));
    }
    sb.append(String.format(Locale.ROOT, "%n  %-22s %8s %9s  %s%n", "ratio", "value", "target", "status"));
    for (Ratio r : ratios) {
      sb.append(String.format(Locale.ROOT, "  %-22s %8s %9s  %s%n", r.key(),
          r.value() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.value()), r.targetText(), r.status()));
    }
    sb.append(String.format(Locale.ROOT, "%n  checks: max|G_ours - XX^T| = %.2e, max|G_BlockMatrix - XX^T| = %.2e,"
        + " max|lambda_ours - lambda_NumPy| / max|lambda| = %s%n", gramError, bmError,
        eigenDiff == null ? "-" : String.format(Locale.ROOT, "%.2e", eigenDiff)));
    sb.append("  GFLOP/s = 2 n^2 d / t, whatever part of G an implementation computes (ours and NumPy use symmetry,"
        + " BlockMatrix does not)\n");
    return sb.toString();
  }

  /** What each summary key measures, written into summary.json beside the figures. */
  static Map<String, String> definitions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gram_*_gflops", "2 n^2 d / median seconds, whatever part of G the implementation computes");
    m.put("gram_ours_s", "X on the driver -> broadcast -> every i<=j block of G materialised on the executors"
        + " (counted, not collected)");
    m.put("gram_blockmatrix_s", "A.multiply(A.transpose()) with A cached beforehand -> every block of G"
        + " materialised (counted, not collected)");
    m.put("gram_numpy_s", "X @ X.T in a Python process with " + NumpyRunner.THREADS + " BLAS threads, X already loaded,"
        + " a new result each call");
    m.put("gram_numpy_out_s", "np.matmul(X, X.T, out=G) into a result allocated once (no first-touch page faults)");
    m.put("eigen_ours_s", "SymmetricEigen.values (LAPACK dsyevd, values only) of the eigen_n x eigen_n matrix, on the"
        + " driver as the jobs call it (DriverBlas: all cores in local mode)");
    m.put("eigen_numpy_s", "np.linalg.eigvalsh of the same matrix");
    m.put("gram_vs_numpy", "gram_ours_gflops / the larger of gram_numpy_gflops and gram_numpy_out_gflops");
    m.put("gram_vs_blockmatrix", "gram_ours_gflops / gram_blockmatrix_gflops");
    m.put("eigen_time_vs_numpy", "eigen_ours_s / eigen_numpy_s");
    m.put("runs_s", "the seconds of every timed round; rounds interleave the contenders, after one untimed"
        + " warm-up of each Spark path");
    return m;
  }
}
