package org.ntkstudy.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;

/**
 * NumPy's {@code .npy} format (version 1.0), little-endian float64, C order: what a notebook
 * loads with {@code np.load}. Matrices are written with shape (rows, cols), vectors with (n,).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int CHUNK_DOUBLES = 1 << 16;
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Writes a matrix as a 2-d float64 array. */
  public static void write(OutputStream out, Matrix m) throws IOException {
    write(out, m.data(), "(" + m.rows() + ", " + m.cols() + ")");
  }

  /** Writes a vector as a 1-d float64 array. */
  public static void write(OutputStream out, double[] v) throws IOException {
    write(out, v, "(" + v.length + ",)");
  }

  private static void write(OutputStream out, double[] data, String shape) throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    // The whole header (magic, version, length, dict, padding, newline) is a multiple of 64.
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(pad)).append('\n');
    byte[] hb = header.toString().getBytes(StandardCharsets.US_ASCII);
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    out.write(hb.length & 0xff);
    out.write((hb.length >>> 8) & 0xff);
    out.write(hb);
    ByteBuffer buf = ByteBuffer.allocate(8 * CHUNK_DOUBLES).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < data.length; off += CHUNK_DOUBLES) {
      int len = Math.min(CHUNK_DOUBLES, data.length - off);
      buf.clear();
      buf.asDoubleBuffer().put(data, off, len);
      out.write(buf.array(), 0, 8 * len);
    }
  }

  /** Reads a .npy file from a Hadoop URI or local path (e.g. {@code --init-weights}). */
  public static Matrix read(String uri, org.apache.hadoop.conf.Configuration conf) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return read(new java.io.BufferedInputStream(in, 1 << 16), uri);
    } catch (java.io.FileNotFoundException e) {
      throw new UserInputException(uri + ": no such file");
    } catch (IOException e) {
      throw new UserInputException(uri + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a float64 C-order array of 1 or 2 dimensions (a vector becomes a 1-column matrix).
   *
   * @param name the file's name, for error messages
   */
  public static Matrix read(InputStream in, String name) throws IOException {
    DataInputStream din = new DataInputStream(in);
    try {
      byte[] magic = new byte[6];
      din.readFully(magic);
      for (int i = 0; i < 6; i++) {
        if (magic[i] != MAGIC[i]) {
          throw new UserInputException(name + ": not a .npy file (bad magic string)");
        }
      }
      int major = din.readUnsignedByte();
      din.readUnsignedByte();
      int headerLen;
      if (major == 1) {
        headerLen = din.readUnsignedByte() | (din.readUnsignedByte() << 8);
      } else if (major == 2 || major == 3) {
        headerLen = Integer.reverseBytes(din.readInt());
      } else {
        throw new UserInputException(name + ": unsupported .npy version " + major);
      }
      byte[] hb = new byte[headerLen];
      din.readFully(hb);
      String header = new String(hb, StandardCharsets.ISO_8859_1);
      if (!header.contains("'descr': '<f8'")) {
        throw new UserInputException(
            name + ": expected little-endian float64 ('<f8'), header says " + header.trim()
                + " (save with np.save(path, a.astype(np.float64)))");
      }
      if (header.contains("'fortran_order': True")) {
        throw new UserInputException(
            name + ": Fortran-ordered array; save with np.save(path, np.ascontiguousarray(a))");
      }
      Matcher m = SHAPE.matcher(header);
      if (!m.find()) {
        throw new UserInputException(name + ": .npy header has no shape: " + header.trim());
      }
      String[] dims = m.group(1).replace(" ", "").split(",");
      int rows;
      int cols;
      if (dims.length == 1 && !dims[0].isEmpty()) {
        rows = Integer.parseInt(dims[0]);
        cols = 1;
      } else if (dims.length == 2) {
        rows = Integer.parseInt(dims[0]);
        cols = Integer.parseInt(dims[1]);
      } else {
        throw new UserInputException(name + ": expected a 1-d or 2-d array, shape (" + m.group(1) + ")");
      }
      double[] data = new double[Math.multiplyExact(rows, cols)];
      byte[] chunk = new byte[8 * CHUNK_DOUBLES];
      for (int off = 0; off < data.length; off += CHUNK_DOUBLES) {
        int len = Math.min(CHUNK_DOUBLES, data.length - off);
        din.readFully(chunk, 0, 8 * len);
        ByteBuffer.wrap(chunk, 0, 8 * len).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data, off, len);
      }
      return new Matrix(rows, cols, data);
    } catch (EOFException e) {
      throw new UserInputException(name + ": truncated .npy file", e);
    }
  }
}
