package org.ntkstudy.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.testing.Fixtures;

class NpyTest {
  /** Our writer reproduces the file NumPy's np.save wrote, byte for byte (header included). */
  @Test
  void writesExactlyWhatNumpyWrites() throws Exception {
    byte[] numpy = Fixtures.bytes("spectrum_tall_X.npy");
    Matrix m = Npy.read(new ByteArrayInputStream(numpy), "fixture");
    assertEquals(60, m.rows());
    assertEquals(16, m.cols());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, m);
    assertArrayEquals(numpy, out.toByteArray());
  }

  @Test
  void vectorsRoundTrip() throws Exception {
    double[] v = {1.5, -2.0, Math.PI, 0.0};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, v);
    String header = new String(out.toByteArray(), 0, 80, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'shape': (4,)"), header);
    assertEquals(0, (out.size() - 8 * 4) % 64, "header padded to 64 bytes");
    Matrix back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "v");
    assertArrayEquals(v, back.data(), 0.0);
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThrows(UserInputException.class,
        () -> Npy.read(new ByteArrayInputStream("not numpy".getBytes(StandardCharsets.US_ASCII)), "x.npy"));
    byte[] ok = Fixtures.bytes("spectrum_tall_X.npy");
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 9);
    var e = assertThrows(UserInputException.class, () -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"));
    assertTrue(e.getMessage().contains("cut.npy: truncated"), e.getMessage());
  }
}
