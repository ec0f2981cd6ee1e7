package org.ntkstudy.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ntkstudy.UserInputException;

/**
 * File access for the readers: every dataset path goes through Hadoop's FileSystem so that
 * file://, hdfs://, s3a:// and gs:// locations all work (SCIENCE §0), with gzip undone on the fly.
 */
final class HadoopIo {
  private static final int BUFFER = 1 << 16;
  /** The largest Java array the JVM reliably allocates. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private HadoopIo() {}

  /**
   * The Hadoop path of a user-given location. A location without a scheme is a local file, not a
   * path on the cluster's default file system, so that {@code --data ./x} means what it says.
   */
  static Path path(String location) {
    if (location == null || location.isBlank()) {
      throw new UserInputException("an empty path was given for a dataset location");
    }
    Path p = new Path(location);
    if (p.toUri().getScheme() == null) {
      return new Path(new File(location).getAbsoluteFile().toURI());
    }
    return p;
  }

  /** A location as the user should read it in a message: local files without "file:". */
  static String show(Path path) {
    if ("file".equals(path.toUri().getScheme())) {
      return path.toUri().getPath();
    }
    return path.toString();
  }

  static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf);
    } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
      throw new DataFormatException(show(path) + ": no file system for the scheme '" + path.toUri().getScheme()
          + "' (use a local path or file://, hdfs://, s3a://, gs:// with its Hadoop connector on the classpath)");
    } catch (IOException e) {
      throw new UncheckedIOException(show(path) + ": cannot open its file system: " + e, e);
    }
  }

  static boolean exists(Path path, Configuration conf) {
    try {
      return fileSystem(path, conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(show(path) + ": cannot check whether it exists: " + e, e);
    }
  }

  static boolean isDirectory(Path path, Configuration conf) {
    try {
      return fileSystem(path, conf).getFileStatus(path).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(show(path) + ": cannot stat it: " + e, e);
    }
  }

  /** The status of a regular file, or a DataFormatException saying it is missing or a directory. */
  static FileStatus fileStatus(Path path, Configuration conf) {
    FileStatus status;
    try {
      status = fileSystem(path, conf).getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw new DataFormatException(show(path) + (denied(e) ? ": permission denied (cannot read it)" : ": no such file"));
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new DataFormatException(show(path) + ": permission denied (cannot read it)");
    } catch (IOException e) {
      throw new UncheckedIOException(show(path) + ": cannot stat it: " + e, e);
    }
    if (status.isDirectory()) {
      throw new DataFormatException(show(path) + ": is a directory, expected a file");
    }
    return status;
  }

  private static boolean denied(IOException e) {
    return e.getMessage() != null && e.getMessage().contains("Permission denied");
  }

  /** True when the path is compressed, by name here; {@link #open} also sniffs the magic. */
  static boolean gzipByName(Path path) {
    return path.getName().endsWith(".gz");
  }

  /**
   * Opens a file for reading, decompressing it when its name ends in .gz or it starts with the
   * gzip magic 1f 8b (a renamed .gz file is still recognised; no IDX or CIFAR file starts so).
   */
  static Opened open(Path path, Configuration conf) {
    FileStatus status = fileStatus(path, conf);
    InputStream raw;
    try {
      raw = fileSystem(path, conf).open(path);
    } catch (FileNotFoundException e) {
      // A local file that exists but cannot be read is reported by Java as "not found (Permission denied)".
      throw new DataFormatException(show(path) + (denied(e) ? ": permission denied (cannot read it)" : ": no such file"));
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new DataFormatException(show(path) + ": permission denied (cannot read it)");
    } catch (IOException e) {
      throw new UncheckedIOException(show(path) + ": cannot open: " + e, e);
    }
    try {
      BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      boolean gzip = gzipByName(path) || (b0 == 0x1f && b1 == 0x8b);
      if (gzip) {
        return new Opened(
            path, new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER), true, -1);
      }
      return new Opened(path, in, false, status.getLen());
    } catch (IOException e) {
      closeQuietly(raw);
      throw readError(path, true, e);
    }
  }

  /** An open stream, whether it is decompressed, and its length when known (-1 for gzip). */
  static final class Opened implements AutoCloseable {
    final Path path;
    final InputStream in;
    final boolean gzip;
    final long length;

    Opened(Path path, InputStream in, boolean gzip, long length) {
      this.path = path;
      this.in = in;
      this.gzip = gzip;
      this.length = length;
    }

    /** "the file" or "the decompressed file", so a truncation message is not misread. */
    String what() {
      return gzip ? "the decompressed file" : "the file";
    }

    @Override
    public void close() {
      closeQuietly(in);
    }
  }

  /** Reads up to {@code len} bytes; returns how many were read (fewer only at end of stream). */
  static int readFully(Opened f, byte[] buf, int off, int len) {
    int done = 0;
    try {
      while (done < len) {
        int r = f.in.read(buf, off + done, len - done);
        if (r < 0) {
          break;
        }
        done += r;
      }
    } catch (IOException e) {
      throw readError(f.path, f.gzip, e);
    }
    return done;
  }

  /** Reads and discards what is left, returning its length (for "trailing bytes" messages). */
  static long countRest(Opened f) {
    byte[] buf = new byte[BUFFER];
    long n = 0;
    try {
      int r;
      while ((r = f.in.read(buf)) >= 0) {
        n += r;
      }
    } catch (IOException e) {
      throw readError(f.path, f.gzip, e);
    }
    return n;
  }

  /** The whole (decompressed) content of a file. */
  static byte[] readAll(Opened f) {
    if (!f.gzip) {
      if (f.length > MAX_ARRAY) {
        throw new DataFormatException(
            show(f.path) + ": " + f.length + " bytes is too large to read into one array");
      }
      byte[] buf = new byte[(int) f.length];
      int got = readFully(f, buf, 0, buf.length);
      // A file that changed under us is reported, not silently cut.
      if (got != buf.length || countRest(f) != 0) {
        throw new DataFormatException(
            show(f.path) + ": its length changed while it was read (" + f.length + " bytes expected)");
      }
      return buf;
    }
    byte[] buf = new byte[BUFFER];
    int size = 0;
    while (true) {
      if (size == buf.length) {
        if (buf.length >= MAX_ARRAY) {
          throw new DataFormatException(
              show(f.path) + ": decompressed content too large to read into one array");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, 2L * buf.length));
      }
      int r;
      try {
        r = f.in.read(buf, size, buf.length - size);
      } catch (IOException e) {
        throw readError(f.path, true, e);
      }
      if (r < 0) {
        return Arrays.copyOf(buf, size);
      }
      size += r;
    }
  }

  /** A corrupt gzip stream is the user's file's fault; any other I/O failure is not. */
  static RuntimeException readError(Path path, boolean gzip, IOException e) {
    if (gzip && (e instanceof EOFException || e instanceof ZipException)) {
      return new DataFormatException(
          show(path) + ": the gzip stream is truncated or corrupt (" + e.getMessage() + ")", e);
    }
    return new UncheckedIOException(show(path) + ": read failed: " + e, e);
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing after a read: nothing left to lose.
    }
  }

  /** Big-endian int at {@code off}, as IDX headers store them. */
  static int bigEndianInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }
}
