package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeBlasTest {
  @Test
  void netlibRunsTheBundledOpenBlas() throws Exception {
    assertTrue(Blas.isNative(), "netlib fell back to Java: " + NativeBlas.status());
    assertTrue(NativeBlas.bundled(), NativeBlas.status());
    Path lib = Path.of(System.getProperty("dev.ludovic.netlib.blas.nativeLibPath"));
    assertEquals(lib, Path.of(System.getProperty("dev.ludovic.netlib.lapack.nativeLibPath")));
    NativeBlas.Platform platform = NativeBlas.platform();
    assertEquals(NativeBlas.platformFor(System.getProperty("os.name"), System.getProperty("os.arch")), platform);
    assertTrue(NativeBlas.status().contains(" " + platform.name() + " at "), NativeBlas.status());
    for (String name : platform.files()) {
      Path f = lib.resolveSibling(name);
      try (var in = NativeBlas.class.getResourceAsStream(platform.resources() + name)) {
        assertEquals(in.transferTo(java.io.OutputStream.nullOutputStream()), Files.size(f), name);
      }
    }
    // The library netlib loaded is the extracted one.
    assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(lib.toString())));
    // A second install is a no-op.
    String before = NativeBlas.status();
    NativeBlas.install();
    assertEquals(before, NativeBlas.status());
  }

  @Test
  void platformIsChosenByOsArch() {
    assertEquals(NativeBlas.LINUX_X86_64, NativeBlas.platformFor("Linux", "amd64"));
    assertEquals(NativeBlas.LINUX_X86_64, NativeBlas.platformFor("Linux", "x86_64"));
    assertEquals(NativeBlas.LINUX_ARM64, NativeBlas.platformFor("Linux", "aarch64"));
    assertEquals(NativeBlas.LINUX_ARM64, NativeBlas.platformFor("linux", "ARM64"));
    assertEquals("linux-arm64", NativeBlas.platformFor("Linux", "aarch64").name());
    assertNull(NativeBlas.platformFor("Linux", "arm"), "32-bit ARM: none bundled");
    assertNull(NativeBlas.platformFor("Linux", "ppc64le"));
    assertNull(NativeBlas.platformFor("Linux", "riscv64"));
    assertNull(NativeBlas.platformFor("Mac OS X", "aarch64"));
    assertNull(NativeBlas.platformFor("Windows 11", "amd64"));
    assertNull(NativeBlas.platformFor(null, null));
  }

  /** Both platforms' files are on the classpath (the shaded jar's filter keeps the same names), as ELF for their processor. */
  @Test
  void bothPlatformsAreBundled() throws Exception {
    for (NativeBlas.Platform p : java.util.List.of(NativeBlas.LINUX_X86_64, NativeBlas.LINUX_ARM64)) {
      assertEquals("libopenblas.so.0", p.files().get(p.files().size() - 1), "OpenBLAS last: it needs the others");
      for (String name : p.files()) {
        try (var in = NativeBlas.class.getResourceAsStream(p.resources() + name)) {
          assertNotNull(in, p.resources() + name);
          byte[] head = in.readNBytes(20);
          assertEquals(0x7f, head[0]);
          assertEquals('E', head[1]);
          // e_machine, little-endian: 62 is x86-64, 183 AArch64.
          int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
          assertEquals(p == NativeBlas.LINUX_ARM64 ? 183 : 62, machine, p.resources() + name);
        }
      }
    }
  }

  @Test
  void bundledDgemmIsExactOnIntegers() {
    // Small integers: every product and sum is exact in double, so any kernel must agree bit for bit.
    int m = 37, n = 29, k = 53;
    Matrix a = new Matrix(m, k);
    Matrix b = new Matrix(n, k);
    for (int i = 0; i < a.data().length; i++) a.data()[i] = (i * 7919 % 23) - 11;
    for (int i = 0; i < b.data().length; i++) b.data()[i] = (i * 104729 % 19) - 9;
    Matrix c = Blas.multiplyTransposed(a, b);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) s += a.get(i, t) * b.get(j, t);
        assertEquals(s, c.get(i, j), 0.0);
      }
    }
  }
}
