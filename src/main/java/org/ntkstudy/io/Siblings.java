package org.ntkstudy.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ntkstudy.UserInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lies beside an output folder {@code NAME} while runs write it: their unfinished folders
 * ({@code .NAME.inprogress-*}, each with its {@link Owner} file) and an old output moved aside by an
 * interrupted {@code --overwrite} ({@code .NAME.replaced-*}). {@link RunOutput} asks here which run
 * is alive, which folder a {@code --resume} continues, and what a fresh run clears away.
 */
final class Siblings {
  private static final Logger LOG = LoggerFactory.getLogger(Siblings.class);

  private Siblings() {}

  /** The newest {@code .NAME.inprogress-*} folder beside {@code target} (others deleted), or null. */
  static Path unfinished(FileSystem fs, Path target) throws IOException {
    Path parent = target.getParent();
    if (!fs.exists(parent)) {
      return null;
    }
    String prefix = "." + target.getName() + ".inprogress-";
    FileStatus newest = null;
    List<FileStatus> all = new ArrayList<>();
    for (FileStatus f : fs.listStatus(parent)) {
      if (f.isDirectory() && f.getPath().getName().startsWith(prefix)) {
        all.add(f);
        // By the start time in the name: object stores list folders with no modification time.
        if (newest == null || started(f, prefix) > started(newest, prefix)) {
          newest = f;
        }
      }
    }
    for (FileStatus f : all) {
      if (f != newest) {
        fs.delete(f.getPath(), true);
        Owner.release(fs, f.getPath());
      }
    }
    return newest == null ? null : newest.getPath();
  }

  /** When the run that made folder {@code f} started (the base-36 milliseconds in its name), else its time. */
  private static long started(FileStatus f, String prefix) {
    String id = f.getPath().getName().substring(prefix.length());
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash), 36);
    } catch (NumberFormatException e) {
      return f.getModificationTime();
    }
  }

  /** The {@code .NAME.inprogress-*} folders beside {@code target} (none when its parent is missing). */
  private static List<Path> inProgress(FileSystem fs, Path target) throws IOException {
    List<Path> out = new ArrayList<>();
    Path parent = target.getParent();
    if (parent != null && fs.exists(parent)) {
      String prefix = "." + target.getName() + ".inprogress-";
      for (FileStatus f : fs.listStatus(parent)) {
        String name = f.getPath().getName();
        if (name.startsWith(prefix) && (f.isDirectory() || name.endsWith(Owner.SUFFIX))) {
          out.add(f.getPath());
        }
      }
    }
    return out;
  }

  /** Refuses when another live run is writing {@code target} (two runs on one --out). */
  static void refuseIfWritten(FileSystem fs, Path target, String out) throws IOException {
    for (Path p : inProgress(fs, target)) {
      String writer = p.getName().endsWith(Owner.SUFFIX) ? null : Owner.liveWriter(fs, p);
      if (writer != null) {
        throw new UserInputException("--out " + out + " is being written by another run (" + writer + ", into "
            + RunOutput.show(p) + "): wait for it to finish, or choose another --out");
      }
    }
  }

  /** Removes the unfinished folders (and owner files) that runs which died left beside {@code target}. */
  static void removeAbandoned(FileSystem fs, Path target) throws IOException {
    for (Path p : inProgress(fs, target)) {
      boolean owner = p.getName().endsWith(Owner.SUFFIX);
      if (owner && fs.exists(new Path(p.getParent(), p.getName().substring(0, p.getName().length() - Owner.SUFFIX.length())))) {
        continue; // goes with its folder
      }
      if (!owner) {
        String writer = Owner.liveWriter(fs, p);
        if (writer != null) {
          throw new UserInputException("--out " + RunOutput.show(target) + " is being written by another run (" + writer
              + ", into " + RunOutput.show(p) + "): wait for it to finish, or choose another --out");
        }
        LOG.warn("removing {}, the unfinished output of an earlier run that did not finish (--resume would have"
            + " continued it)", RunOutput.show(p));
        Owner.release(fs, p);
      }
      fs.delete(p, true);
    }
  }

  /**
   * Puts back a finished output that an {@code --overwrite} run moved aside
   * ({@code .NAME.replaced-*}) and was killed before its own folder took its place; when the new
   * one did take it, the old copy is only deleted.
   */
  static void restoreReplaced(FileSystem fs, Path target) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String prefix = "." + target.getName() + ".replaced-";
    for (FileStatus f : fs.listStatus(parent)) {
      if (!f.getPath().getName().startsWith(prefix)) {
        continue;
      }
      if (!fs.exists(target) && fs.rename(f.getPath(), target)) {
        LOG.warn("restored {}: an --overwrite run was stopped while replacing it, and its previous results are"
            + " back", RunOutput.show(target));
      } else {
        fs.delete(f.getPath(), true);
      }
    }
  }
}
