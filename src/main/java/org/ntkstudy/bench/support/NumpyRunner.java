package org.ntkstudy.bench.support;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs NumPy in one Python child process that lives for the whole bench and times one round
 * per request, so its rounds interleave with ours. One process, warmed up once, because a fresh
 * process's first two {@code X @ X.T} at n = 8192 took twice as long as later ones (1.47 s
 * against 0.76 s: first touch of the 512 MiB results), and our JVM is measured warm too.
 */
public final class NumpyRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NumpyRunner.class);

  /** NumPy gets two BLAS threads: the comparison is against NumPy on this 2-core machine. */
  public static final int THREADS = 2;

  /**
   * Prints one JSON line when ready (or "error" when NumPy cannot be imported, so Java can skip
   * loudly), then one per "round" line read from stdin, until "quit".
   */
  private static final String SCRIPT = """
      import ctypes, glob, json, os, sys, time
      try:
          import numpy as np
      except ImportError as e:
          print(json.dumps({"error": "NumPy is not installed for " + sys.executable + ": " + str(e)}), flush=True)
          sys.exit(0)

      def corename():
          # Which OpenBLAS kernel NumPy runs: threadpoolctl would say, but is not always installed.
          libs = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
          for path in glob.glob(os.path.join(libs, "*openblas*")):
              lib = ctypes.CDLL(path)
              for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                           "openblas_get_corename64_", "openblas_get_corename"):
                  f = getattr(lib, name, None)
                  if f is not None:
                      f.restype = ctypes.c_char_p
                      return f().decode()
          return None

      x_path, e_path, w_path = sys.argv[1], sys.argv[2], sys.argv[3]
      X = np.load(x_path)
      A = np.load(e_path)
      # Warm-up, untimed: thread start-up and first touch of two results' memory.
      G = X @ X.T
      G = X @ X.T
      del G
      G_out = np.empty((X.shape[0], X.shape[0]))
      np.matmul(X, X.T, out=G_out)
      blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
      print(json.dumps({"ready": True, "version": np.__version__, "blas": blas.get("name"),
                        "blas_version": blas.get("version"), "openblas_corename": corename(),
                        "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                        "python": sys.version.split()[0]}), flush=True)
      for line in sys.stdin:
          if line.strip() != "round":
              break
          t = time.perf_counter()
          G = X @ X.T
          gram = time.perf_counter() - t
          del G
          t = time.perf_counter()
          np.matmul(X, X.T, out=G_out)
          gram_out = time.perf_counter() - t
          t = time.perf_counter()
          w = np.linalg.eigvalsh(A)
          eig = time.perf_counter() - t
          np.save(w_path, w[::-1].copy())
          print(json.dumps({"gram_s": gram, "gram_out_s": gram_out, "eigen_s": eig}), flush=True)
      """;

  /** One round's seconds. */
  public record Round(double gramSeconds, double gramOutSeconds, double eigenSeconds) {}

  private final String python;
  private final java.nio.file.Path dir;
  private Process process;
  private BufferedReader stdout;
  private Writer stdin;
  private final StringBuffer stderr = new StringBuffer();
  private boolean available = true;
  private String skipReason;
  private Map<String, Object> info;
  private double[] lastEigenvalues;

  private NumpyRunner(String python, java.nio.file.Path dir) {
    this.python = python;
    this.dir = dir;
  }

  /**
   * Writes X, the eigen matrix and the worker script to a temporary folder; the worker starts at
   * the first {@link #round()}.
   */
  public static NumpyRunner prepare(String python, Matrix x, Matrix eigenMatrix) {
    try {
      java.nio.file.Path dir = Files.createTempDirectory("ntk-bench-");
      writeNpy(dir.resolve("x.npy"), x);
      writeNpy(dir.resolve("eigen.npy"), eigenMatrix);
      Files.writeString(dir.resolve("bench_numpy.py"), SCRIPT);
      return new NumpyRunner(python, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the NumPy bench's inputs to a temporary folder", e);
    }
  }

  private static void writeNpy(java.nio.file.Path p, Matrix m) throws IOException {
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
      Npy.write(o, m);
    }
  }

  /** False once Python or NumPy turned out to be missing (the figures are then skipped). */
  public boolean available() {
    return available;
  }

  /** The eigenvalues of the last round, descending, or null before the first. */
  public double[] lastEigenvalues() {
    return lastEigenvalues;
  }

  /**
   * Starts the worker and waits until it has loaded and warmed up; false (with a loud warning)
   * when Python or NumPy is missing.
   */
  private boolean start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(python, dir.resolve("bench_numpy.py").toString(),
        dir.resolve("x.npy").toString(), dir.resolve("eigen.npy").toString(), dir.resolve("w.npy").toString());
    Map<String, String> env = pb.environment();
    env.put("OPENBLAS_NUM_THREADS", Integer.toString(THREADS));
    env.put("OMP_NUM_THREADS", Integer.toString(THREADS));
    env.put("MKL_NUM_THREADS", Integer.toString(THREADS));
    // Set on this machine for old OpenBLAS builds; they pin current NumPy to slower kernels.
    env.remove("OPENBLAS_CORETYPE");
    env.remove("OPENBLAS_L2_SIZE");
    try {
      process = pb.start();
    } catch (IOException e) {
      skip(python + " cannot be started (" + e.getMessage() + ")");
      return false;
    }
    Process p = process;
    // Drained on its own thread so a chatty stderr can never block the worker.
    Thread drain = new Thread(() -> {
      try (var err = new BufferedReader(
          new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          stderr.append(line).append('\n');
        }
      } catch (IOException e) {
        // The worker ended; what it printed so far is kept.
      }
    }, "numpy-stderr");
    drain.setDaemon(true);
    drain.start();
    stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
    Map<String, Object> ready = readReply();
    if (ready.containsKey("error")) {
      skip(String.valueOf(ready.get("error")));
      return false;
    }
    info = ready;
    return true;
  }

  /** Runs one round; null (and NumPy marked unavailable, with a loud warning) when it cannot run. */
  public Round round() {
    try {
      if (process == null && !start()) {
        return null;
      }
      stdin.write("round\n");
      stdin.flush();
      Map<String, Object> json = readReply();
      try (InputStream in = Files.newInputStream(dir.resolve("w.npy"))) {
        lastEigenvalues = Npy.read(in, "w.npy").data();
      }
      return new Round(((Number) json.get("gram_s")).doubleValue(), ((Number) json.get("gram_out_s")).doubleValue(),
          ((Number) json.get("eigen_s")).doubleValue());
    } catch (IOException e) {
      throw failure("cannot talk to the NumPy worker: " + e.getMessage());
    }
  }

  /** The worker's next JSON line; a failure with its stderr when it ended instead. */
  private Map<String, Object> readReply() throws IOException {
    String line = stdout.readLine();
    if (line == null) {
      throw failure("the NumPy worker ended");
    }
    try {
      return Json.read(line);
    } catch (IllegalArgumentException e) {
      throw failure("the NumPy worker printed " + line);
    }
  }

  private IllegalStateException failure(String what) {
    Integer exit = null;
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        exit = process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException(what + (exit == null ? "" : " (exit " + exit + ")") + ":\n"
        + stderr.toString().strip() + "\n(pass --skip-numpy to run without it)");
  }

  private void skip(String reason) {
    available = false;
    skipReason = reason;
    LOG.warn("\n**********************************************************************\n"
        + "* NumPy SKIPPED: {}\n"
        + "* The NumPy figures and the ratios against NumPy are missing.\n"
        + "* Install NumPy (e.g. apt-get install -y python3-numpy) or pass --python PATH;\n"
        + "* pass --skip-numpy to skip it on purpose.\n"
        + "**********************************************************************", reason);
  }

  /** What ran: NumPy's version, BLAS and kernel, or why it was skipped. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (info == null) {
      m.put("status", "skipped: " + (skipReason == null ? "not run" : skipReason));
      return m;
    }
    m.put("status", "ran");
    m.putAll(info);
    m.remove("ready");
    m.put("threads", THREADS);
    m.put("env_removed", List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"));
    return m;
  }

  @Override
  public void close() {
    if (process != null) {
      try {
        stdin.write("quit\n");
        stdin.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      String err = stderr.toString().strip();
      if (!err.isEmpty()) {
        LOG.info("NumPy worker stderr:\n{}", err);
      }
    }
    try (var files = Files.list(dir)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("could not remove the temporary folder {}: {}", dir, e.getMessage());
    }
  }
}
