package org.ntkstudy.spark;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenBLAS's own thread-count switch ({@code openblas_set_num_threads}), called through JNA:
 * netlib offers no per-call thread setting, and OPENBLAS_NUM_THREADS is read once at start. JNA
 * (shaded into the jar) works the same on Java 17, 21 and 25, with no JVM flag but
 * {@code --enable-native-access=ALL-UNNAMED}, which only silences Java 24+'s warning. Loaded only
 * through {@link DriverBlas}, which falls back quietly where this class cannot work (no OpenBLAS in
 * the process, no JNA on the classpath, a platform JNA has no native part for).
 */
final class OpenBlasThreads {
  private final Function set;
  private final Function get;
  private final String config;
  private final String coreName;

  private OpenBlasThreads(Function set, Function get, String config, String coreName) {
    this.set = set;
    this.get = get;
    this.config = config;
    this.coreName = coreName;
  }

  /**
   * Binds to the OpenBLAS that netlib loaded into this process: the file mapped in /proc/self/maps.
   * Opening that same path again returns the loader's existing handle (the dynamic loader knows the
   * file), so the switch acts on netlib's instance, never on a second copy.
   */
  static OpenBlasThreads bind() throws Exception {
    String lib = loadedOpenBlas(Files.readAllLines(Path.of("/proc/self/maps")));
    if (lib == null) {
      throw new IllegalStateException("no OpenBLAS loaded in this process");
    }
    NativeLibrary openblas = NativeLibrary.getInstance(lib);
    return new OpenBlasThreads(
        openblas.getFunction("openblas_set_num_threads"),
        openblas.getFunction("openblas_get_num_threads"),
        string(openblas, "openblas_get_config"),
        string(openblas, "openblas_get_corename"));
  }

  /** The path of the first mapped file whose name contains {@code libopenblas}, or null. */
  static String loadedOpenBlas(List<String> maps) {
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.substring(slash).contains("libopenblas")) {
        return line.substring(slash).trim();
      }
    }
    return null;
  }

  /** Calls a {@code char *f(void)} of OpenBLAS; null when the symbol is absent. */
  private static String string(NativeLibrary lib, String symbol) {
    try {
      String s = lib.getFunction(symbol).invokeString(new Object[0], false);
      return s == null ? null : s.trim();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return null;
    }
  }

  /** OpenBLAS's build description, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}. */
  String config() {
    return config;
  }

  /** The CPU kernel OpenBLAS selected at load, e.g. {@code Haswell} or {@code SkylakeX}. */
  String coreName() {
    return coreName;
  }

  int get() {
    return get.invokeInt(new Object[0]);
  }

  void set(int threads) {
    set.invokeVoid(new Object[] {threads});
  }
}
