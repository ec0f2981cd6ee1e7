package org.ntkstudy.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder replaced only by a complete new one, as {@link RunOutput} does for a job's output but
 * without a manifest (for a folder inside an output that has its own): the new folder is written
 * to a hidden sibling {@code .NAME.inprogress-ID} and renamed into place when complete; an existing
 * folder is moved aside first and deleted only once the new one is in place, and moved back if
 * that rename fails. A failed write removes its temporary folder and leaves the old one as it was.
 */
public final class StagedFolder {
  private static final Logger LOG = LoggerFactory.getLogger(StagedFolder.class);

  /** Writes the folder's files into the temporary folder it is given. */
  @FunctionalInterface
  public interface Body {
    void write(Path dir) throws IOException;
  }

  private StagedFolder() {}

  /**
   * Writes folder {@code target} through {@code body} and renames it into place. Temporary and
   * set-aside folders of earlier writes of {@code target} that were interrupted are removed first
   * (one writer of a folder at a time).
   *
   * @return {@code target}
   */
  public static Path write(FileSystem fs, Path target, Body body) throws IOException {
    Path parent = target.getParent();
    String prefix = "." + target.getName() + ".inprogress-";
    String replaced = "." + target.getName() + ".replaced-";
    if (fs.exists(parent)) {
      for (FileStatus f : fs.listStatus(parent)) {
        String name = f.getPath().getName();
        if (f.isDirectory() && (name.startsWith(prefix) || name.startsWith(replaced))) {
          LOG.info("removing {}, left by an interrupted write of {}", f.getPath(), target);
          fs.delete(f.getPath(), true);
        }
      }
    }
    String id = Long.toString(System.currentTimeMillis(), 36) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(parent, prefix + id);
    if (!fs.mkdirs(tmp)) {
      throw new IOException("cannot create " + tmp);
    }
    boolean placed = false;
    try {
      body.write(tmp);
      KillPoints.reach("before-rename " + target.getName());
      Path aside = null;
      if (fs.exists(target)) {
        aside = new Path(parent, "." + target.getName() + ".replaced-" + id);
        if (!fs.rename(target, aside)) {
          throw new IOException("cannot move the previous " + target + " aside to " + aside);
        }
      }
      if (!fs.rename(tmp, target)) {
        if (aside != null && !fs.rename(aside, target)) {
          throw new IOException("cannot rename " + tmp + " to " + target + ", nor move the previous one back from "
              + aside);
        }
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      placed = true;
      if (aside != null) {
        fs.delete(aside, true);
      }
      return target;
    } finally {
      if (!placed) {
        try {
          fs.delete(tmp, true);
        } catch (IOException e) {
          LOG.warn("cannot remove the unfinished {}: {}", tmp, e.getMessage());
        }
      }
    }
  }
}
