package org.ntkstudy.math;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Points netlib at the OpenBLAS that ships inside the application jar (OpenBLAS 0.3.31 from
 * {@code org.bytedeco:openblas}, linux-x86_64, with its gfortran runtime), so every machine the job
 * runs on — a laptop, an EMR or Dataproc executor without any BLAS installed — runs the same current
 * library rather than whatever {@code libblas.so.3} is there, or a pure-Java fallback.
 *
 * <p>The libraries are copied once per machine into {@code java.io.tmpdir} (one directory per
 * version and user; written to a temporary name and renamed, so concurrent JVMs never see half a
 * file) and netlib's {@code dev.ludovic.netlib.{blas,lapack}.nativeLibPath} are set to them. This
 * must happen before netlib first loads, which {@link Blas}'s static initialiser guarantees for the
 * project's own code.
 *
 * <p>Left alone when the user chose: {@code -Dntk.blas=system} keeps netlib's default search
 * ({@code libblas.so.3}), and netlib's own {@code nativeLib}/{@code nativeLibPath} properties win.
 */
public final class NativeBlas {
  /** The bundled OpenBLAS release (the Maven artifact's version before the JavaCPP suffix). */
  public static final String BUNDLED_VERSION = "0.3.31";

  static final String RESOURCES = "/org/bytedeco/openblas/linux-x86_64/";
  /** In dependency order: libopenblas finds the others beside it through its RUNPATH $ORIGIN. */
  static final String[] FILES = {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"};

  private static final String BLAS_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  private static final String LAPACK_PATH = "dev.ludovic.netlib.lapack.nativeLibPath";

  private static String status = "not attempted";
  private static Path installed;

  private NativeBlas() {}

  /**
   * Installs the bundled OpenBLAS for netlib unless the user chose otherwise or this platform has
   * none; idempotent. Never throws: on any failure netlib's default search remains, and
   * {@link #status()} says why.
   */
  public static synchronized void install() {
    if (installed != null || !status.equals("not attempted")) {
      return;
    }
    String choice = System.getProperty("ntk.blas", "bundled").trim().toLowerCase(Locale.ROOT);
    if (choice.equals("system")) {
      status = "system BLAS chosen (-Dntk.blas=system)";
      return;
    }
    if (!choice.equals("bundled")) {
      status = "unknown -Dntk.blas=" + choice + " (expected bundled or system); using netlib's default search";
      return;
    }
    if (System.getProperty(BLAS_PATH) != null
        || System.getProperty("dev.ludovic.netlib.blas.nativeLib") != null) {
      status = "netlib's own nativeLib/nativeLibPath properties are set; they win";
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      status = "no bundled OpenBLAS for " + os + "/" + arch;
      return;
    }
    if (NativeBlas.class.getResource(RESOURCES + "libopenblas.so.0") == null) {
      status = "bundled OpenBLAS not on the classpath";
      return;
    }
    try {
      Path dir = extract();
      String lib = dir.resolve("libopenblas.so.0").toString();
      System.setProperty(BLAS_PATH, lib);
      if (System.getProperty(LAPACK_PATH) == null
          && System.getProperty("dev.ludovic.netlib.lapack.nativeLib") == null) {
        System.setProperty(LAPACK_PATH, lib);
      }
      installed = dir;
      status = "bundled OpenBLAS " + BUNDLED_VERSION + " at " + lib;
    } catch (IOException | RuntimeException e) {
      status = "could not extract the bundled OpenBLAS (" + e + "); using netlib's default search";
    }
  }

  /** What {@link #install()} did, for the log and the provenance record. */
  public static synchronized String status() {
    return status;
  }

  /** True when netlib was pointed at the bundled library. */
  public static synchronized boolean bundled() {
    return installed != null;
  }

  private static Path extract() throws IOException {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ntkstudy-openblas-" + BUNDLED_VERSION + "-" + user);
    Files.createDirectories(dir);
    for (String name : FILES) {
      long size = resourceSize(name);
      Path target = dir.resolve(name);
      if (Files.isRegularFile(target) && Files.size(target) == size) {
        continue;
      }
      Path tmp = Files.createTempFile(dir, "." + name, ".part");
      try (InputStream in = NativeBlas.class.getResourceAsStream(RESOURCES + name)) {
        if (in == null) {
          throw new IOException("resource " + RESOURCES + name + " missing");
        }
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        if (Files.size(tmp) != size) {
          throw new IOException("short copy of " + name);
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return dir;
  }

  /** The resource's uncompressed size: from the jar entry when it says, else by reading it. */
  private static long resourceSize(String name) throws IOException {
    java.net.URL url = NativeBlas.class.getResource(RESOURCES + name);
    if (url == null) {
      throw new IOException("resource " + RESOURCES + name + " missing");
    }
    java.net.URLConnection c = url.openConnection();
    c.setUseCaches(false);
    long size = c.getContentLengthLong();
    if (size >= 0) {
      c.getInputStream().close();
      return size;
    }
    try (InputStream in = c.getInputStream()) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
