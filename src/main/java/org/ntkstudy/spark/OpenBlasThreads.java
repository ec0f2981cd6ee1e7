package org.ntkstudy.spark;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * OpenBLAS's own thread-count switch ({@code openblas_set_num_threads}), called through Java 17's
 * foreign-function API: netlib offers no per-call thread setting, and OPENBLAS_NUM_THREADS is read
 * once at start. Loaded only through {@link DriverBlas}, which falls back quietly where this class
 * cannot work (no OpenBLAS, another JDK, or the JVM started without
 * {@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}).
 */
final class OpenBlasThreads {
  private final MethodHandle set;
  private final MethodHandle get;
  private final String config;
  private final String coreName;

  private OpenBlasThreads(MethodHandle set, MethodHandle get, String config, String coreName) {
    this.set = set;
    this.get = get;
    this.config = config;
    this.coreName = coreName;
  }

  /** Binds to the OpenBLAS that netlib loaded into this process (found in /proc/self/maps). */
  static OpenBlasThreads bind() throws Exception {
    String lib = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.contains("libopenblas")) {
        lib = line.substring(slash);
        break;
      }
    }
    if (lib == null) {
      throw new IllegalStateException("no OpenBLAS loaded in this process");
    }
    System.load(lib);
    MemoryAddress setAddr = SymbolLookup.loaderLookup().lookup("openblas_set_num_threads").orElseThrow();
    MemoryAddress getAddr = SymbolLookup.loaderLookup().lookup("openblas_get_num_threads").orElseThrow();
    CLinker linker = CLinker.getInstance();
    return new OpenBlasThreads(
        linker.downcallHandle(setAddr, MethodType.methodType(void.class, int.class), FunctionDescriptor.ofVoid(CLinker.C_INT)),
        linker.downcallHandle(getAddr, MethodType.methodType(int.class), FunctionDescriptor.of(CLinker.C_INT)),
        string(linker, "openblas_get_config"),
        string(linker, "openblas_get_corename"));
  }

  /** Calls a {@code char *f(void)} of OpenBLAS; null when the symbol is absent. */
  private static String string(CLinker linker, String symbol) {
    try {
      MemoryAddress addr = SymbolLookup.loaderLookup().lookup(symbol).orElse(null);
      if (addr == null) {
        return null;
      }
      MethodHandle h = linker.downcallHandle(
          addr, MethodType.methodType(MemoryAddress.class), FunctionDescriptor.of(CLinker.C_POINTER));
      MemoryAddress p = (MemoryAddress) h.invokeExact();
      return CLinker.toJavaString(p).trim();
    } catch (Throwable e) {
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

  int get() throws Throwable {
    return (int) get.invokeExact();
  }

  void set(int threads) throws Throwable {
    set.invokeExact(threads);
  }
}
