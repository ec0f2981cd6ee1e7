package org.ntkstudy.math;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Points netlib at the OpenBLAS that ships inside the application jar (OpenBLAS 0.3.31 from
 * {@code org.bytedeco:openblas}, linux-x86_64 and linux-arm64, each with its gfortran runtime), so
 * every machine the job runs on — a laptop, an EMR or Dataproc executor (x86-64 or Graviton/Axion
 * arm64) without any BLAS installed — runs the same current library rather than whatever
 * {@code libblas.so.3} is there, or a pure-Java fallback. The platform is chosen from
 * {@code os.name}/{@code os.arch} ({@link #platformFor}).
 *
 * <p>The libraries are copied once per machine into {@code java.io.tmpdir} (one directory per
 * version, platform and user; written to a temporary name and renamed, so concurrent JVMs never see
 * half a file) and netlib's {@code dev.ludovic.netlib.{blas,lapack}.nativeLibPath} are set to them.
 * This must happen before netlib first loads, which {@link Blas}'s static initialiser guarantees for
 * the project's own code.
 *
 * <p>Left alone when the user chose: {@code -Dntk.blas=system} keeps netlib's default search
 * ({@code libblas.so.3}), and netlib's own {@code nativeLib}/{@code nativeLibPath} properties win.
 */
public final class NativeBlas {
  /** The bundled OpenBLAS release (the Maven artifact's version before the JavaCPP suffix). */
  public static final String BUNDLED_VERSION = "0.3.31";

  /**
   * One bundled build: its platform name (JavaCPP's, e.g. {@code linux-arm64}), the resource folder
   * holding it, and its files in dependency order (libopenblas finds the others beside it through
   * its RUNPATH $ORIGIN).
   */
  public record Platform(String name, String resources, List<String> files) {}

  static final Platform LINUX_X86_64 = new Platform("linux-x86_64", "/org/bytedeco/openblas/linux-x86_64/",
      List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"));
  /** arm64's gfortran runtime needs no libquadmath (no __float128 there). */
  static final Platform LINUX_ARM64 = new Platform("linux-arm64", "/org/bytedeco/openblas/linux-arm64/",
      List.of("libgcc_s.so.1", "libgfortran.so.5", "libopenblas.so.0"));

  private static final String BLAS_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  private static final String LAPACK_PATH = "dev.ludovic.netlib.lapack.nativeLibPath";

  private static String status = "not attempted";
  private static Path installed;
  private static Platform platform;

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
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    Platform p = platformFor(os, arch);
    if (p == null) {
      status = "no bundled OpenBLAS for " + os + "/" + arch;
      return;
    }
    if (NativeBlas.class.getResource(p.resources() + "libopenblas.so.0") == null) {
      status = "bundled OpenBLAS " + p.name() + " not on the classpath";
      return;
    }
    try {
      Path dir = extract(p);
      String lib = dir.resolve("libopenblas.so.0").toString();
      System.setProperty(BLAS_PATH, lib);
      if (System.getProperty(LAPACK_PATH) == null
          && System.getProperty("dev.ludovic.netlib.lapack.nativeLib") == null) {
        System.setProperty(LAPACK_PATH, lib);
      }
      installed = dir;
      platform = p;
      status = "bundled OpenBLAS " + BUNDLED_VERSION + " " + p.name() + " at " + lib;
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

  /** The bundled build netlib was pointed at, or null when none was. */
  public static synchronized Platform platform() {
    return platform;
  }

  /**
   * The bundled build for a JVM's {@code os.name} and {@code os.arch}, or null when the jar has none:
   * Linux on x86-64 ({@code amd64}, {@code x86_64}) or on 64-bit ARM ({@code aarch64},
   * {@code arm64}). 32-bit ARM, other operating systems and other processors get netlib's own search.
   */
  public static Platform platformFor(String osName, String osArch) {
    String os = osName == null ? "" : osName.trim().toLowerCase(Locale.ROOT);
    String arch = osArch == null ? "" : osArch.trim().toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      return null;
    }
    switch (arch) {
      case "amd64":
      case "x86_64":
        return LINUX_X86_64;
      case "aarch64":
      case "arm64":
        return LINUX_ARM64;
      default:
        return null;
    }
  }

  private static Path extract(Platform p) throws IOException {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    Path dir = Path.of(System.getProperty("java.io.tmpdir"),
        "ntkstudy-openblas-" + BUNDLED_VERSION + "-" + p.name() + "-" + user);
    Files.createDirectories(dir);
    for (String name : p.files()) {
      String resource = p.resources() + name;
      long size = resourceSize(resource);
      Path target = dir.resolve(name);
      if (Files.isRegularFile(target) && Files.size(target) == size) {
        continue;
      }
      Path tmp = Files.createTempFile(dir, "." + name, ".part");
      try (InputStream in = NativeBlas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("resource " + resource + " missing");
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
  private static long resourceSize(String resource) throws IOException {
    java.net.URL url = NativeBlas.class.getResource(resource);
    if (url == null) {
      throw new IOException("resource " + resource + " missing");
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
