package org.ntkstudy.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ntkstudy.UserInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Free space on an output's file system: the check before a run, and a full disk recognised after one. */
final class DiskSpace {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
  /** What every output needs free beyond its estimate: summaries, plots, the manifest. */
  static final long MIN_FREE = 1L << 20;

  private DiskSpace() {}

  /** The free space a run writing {@code bytes} asks for: 10% and 1 MiB to spare. */
  static long needed(long bytes) {
    return bytes + bytes / 10 + MIN_FREE;
  }

  static void require(FileSystem fs, Path where, long bytes, String what) {
    long remaining = free(fs, where);
    long needed = needed(bytes);
    if (remaining >= 0 && remaining < needed) {
      throw new UserInputException(String.format(
          "%s needs about %s but %s has %s free: free some space or choose another --out",
          what, show(needed), RunOutput.show(existing(fs, where.getParent() == null ? where : where.getParent())),
          show(remaining)));
    }
  }

  /** The free bytes of the file system holding {@code where}, or -1 when it cannot tell. */
  static long free(FileSystem fs, Path where) {
    try {
      // A local file system reports 0 free for a path that does not exist yet: ask its nearest ancestor.
      Path at = existing(fs, where);
      if ("file".equals(at.toUri().getScheme())) {
        // What this user may write (Hadoop's figure counts the blocks reserved for root too).
        return new java.io.File(at.toUri().getPath()).getUsableSpace();
      }
      return fs.getStatus(at).getRemaining();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot tell the free space of {}: {}", where, e.getMessage());
      return -1;
    }
  }

  private static Path existing(FileSystem fs, Path p) {
    try {
      while (p.getParent() != null && !fs.exists(p)) {
        p = p.getParent();
      }
    } catch (IOException e) {
      // the path as given
    }
    return p;
  }

  /** A size as a person reads it: 812 KB, 3.4 MB, 1.2 GB. */
  static String show(long b) {
    if (b < 1 << 20) {
      return String.format(java.util.Locale.ROOT, "%d KB", (b + 1023) / 1024);
    }
    if (b < 1L << 30) {
      return String.format(java.util.Locale.ROOT, "%.1f MB", b / 1048576.0);
    }
    if (b < 1L << 40) {
      return String.format(java.util.Locale.ROOT, "%.1f GB", b / 1073741824.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f TB", b / 1099511627776.0);
  }

  /** True when {@code e}, or anything that caused it (also in a Spark task's text), is a full disk. */
  static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
          || (m.contains("quota") && m.contains("is exceeded")))) { // HDFS: "The DiskSpace quota of … is exceeded"
        return true;
      }
    }
    return false;
  }

}
