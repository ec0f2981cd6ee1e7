package org.ntkstudy.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's output folder ({@code --out}), written the safe way: everything goes to a hidden
 * temporary sibling ({@code .NAME.inprogress-ID}), a {@code manifest.json} listing every file and
 * its size is written last, and only then is the folder renamed to its final name. A run that
 * dies leaves nothing that looks finished; an existing output is replaced (with
 * {@code --overwrite}) only once the new one is complete, so it is never lost to a failed run.
 */
public final class RunOutput {
  private static final Logger LOG = LoggerFactory.getLogger(RunOutput.class);
  public static final String MANIFEST = "manifest.json";

  private final FileSystem fs;
  private final Path target;
  private final Path tmp;
  private final boolean overwrite;
  private Fingerprint fingerprint;
  private boolean committed;
  private boolean resumable;
  private boolean beating = true;
  /** Set when the run was abandoned and this folder removed: nothing more may be written to it. */
  private volatile boolean discarded;
  /** The bytes {@link #requireSpace} was told the run writes, or -1. */
  private long estimate = -1;

  private RunOutput(FileSystem fs, Path target, Path tmp, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.tmp = tmp;
    this.overwrite = overwrite;
  }

  /**
   * Prepares output folder {@code out} (a Hadoop URI or local path).
   *
   * @throws UserInputException when {@code out} exists and {@code overwrite} is false, or is a file
   */
  public static RunOutput open(String out, boolean overwrite, Configuration conf) {
    check(out, overwrite, conf);
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      // No .crc sidecar files beside the outputs on a local disk (the manifest lists sizes).
      fs.setWriteChecksum(false);
      Path parent = target.getParent();
      // A fresh run starts afresh: unfinished folders of runs that died, and their cells, go.
      Siblings.removeAbandoned(fs, target);
      fs.delete(cellStore(target), true);
      String id = Long.toString(System.currentTimeMillis(), 36) + "-" + UUID.randomUUID().toString().substring(0, 8);
      Path tmp = new Path(parent, "." + target.getName() + ".inprogress-" + id);
      Owner.claim(fs, tmp);
      if (!fs.mkdirs(tmp)) {
        Owner.release(fs, tmp);
        throw new UserInputException("cannot create " + show(tmp) + " beside --out " + out);
      }
      LOG.info("writing to {} (renamed to {} when complete)", tmp, target);
      return registered(new RunOutput(fs, target, tmp, overwrite));
    } catch (IOException e) {
      throw new UserInputException("cannot prepare --out " + out + ": " + e.getMessage(), e);
    }
  }

  private static RunOutput registered(RunOutput o) {
    OpenOutputs.opened(o);
    return o;
  }

  /**
   * The checks of {@link #open} alone, creating nothing: for a job that validates its input before
   * it opens its output, so that a refused run leaves no folder behind.
   *
   * @throws UserInputException when {@code out} exists and {@code overwrite} is false, or is a file
   */
  public static void check(String out, boolean overwrite, Configuration conf) {
    if (out == null || out.isBlank()) {
      throw new UserInputException("--out is required: the folder the results are written to");
    }
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      Siblings.refuseIfWritten(fs, target, out); // first: a live --overwrite run may have moved the old output aside
      Siblings.restoreReplaced(fs, target);
      DiskSpace.require(fs, target, 0, "--out " + out);
      if (fs.exists(target)) {
        if (!fs.getFileStatus(target).isDirectory()) {
          throw new UserInputException("--out " + out + " is an existing file, not a folder");
        }
        if (!overwrite) {
          throw new UserInputException(
              "--out " + out + " already exists: pass --overwrite to replace it (it is kept until"
                  + " the new results are complete) or choose another folder");
        }
      }
    } catch (IOException e) {
      throw new UserInputException("cannot prepare --out " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reopens the newest unfinished temporary folder of {@code out} ({@code .NAME.inprogress-*}, left
   * by a run that died) so that its finished pieces can be kept, or opens a fresh one when there
   * is none. Older unfinished folders of the same output are removed.
   *
   * @throws UserInputException when {@code out} is already complete (nothing to resume)
   */
  public static RunOutput resume(String out, Configuration conf) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      fs.setWriteChecksum(false);
      Siblings.refuseIfWritten(fs, target, out);
      Siblings.restoreReplaced(fs, target);
      DiskSpace.require(fs, target, 0, "--out " + out);
      Path newest = Siblings.unfinished(fs, target);
      boolean complete = fs.exists(target);
      if (newest == null) {
        if (complete) {
          throw new UserInputException("--out " + out + " is already complete: nothing to resume (pass --overwrite"
              + " without --resume to recompute it)");
        }
        LOG.info("nothing to resume for {}: starting afresh", target);
        return open(out, false, conf);
      }
      // An unfinished run beside a finished output was an --overwrite run: continued, it replaces it.
      LOG.info("resuming {} from {}{}", target, newest, complete ? " (an --overwrite run: it replaces the"
          + " finished output when complete)" : "");
      Owner.claim(fs, newest);
      return registered(new RunOutput(fs, target, newest, complete));
    } catch (IOException e) {
      throw new UserInputException("cannot resume --out " + out + ": " + e.getMessage(), e);
    }
  }

  /** Deletes every unfinished temporary folder of {@code out} (a part that cannot resume restarts clean). */
  public static void discardUnfinished(String out, Configuration conf) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      Path newest = Siblings.unfinished(fs, fs.makeQualified(target));
      if (newest != null) {
        fs.delete(newest, true);
        Owner.release(fs, newest);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the unfinished output of " + out, e);
    }
  }

  /**
   * Where a grid job keeps its finished cells until the output is committed: a hidden sibling of
   * the final folder ({@code .NAME.cells}), outside the folder that is renamed, so that the cells
   * go only after the commit (a run killed between the two still has a complete output).
   */
  public String cellStoreUri() {
    return cellStore(target).toString();
  }

  private static Path cellStore(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".cells");
  }

  /** Deletes the cell store of {@code out} if one was left (by a run killed right after its commit). */
  public static void discardCellStore(String out, Configuration conf) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      fs.delete(cellStore(fs.makeQualified(target)), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the cell store of " + out, e);
    }
  }

  /** Records the settings the results were computed with; {@link #commit} writes them in the manifest. */
  public RunOutput fingerprint(Fingerprint fingerprint) {
    this.fingerprint = fingerprint;
    return this;
  }

  /**
   * The fingerprint in the manifest of the finished output {@code out}, or null when {@code out}
   * is not a finished output or its manifest has none.
   */
  public static Fingerprint finishedFingerprint(String out, Configuration conf) {
    try {
      Path manifest = new Path(out, MANIFEST);
      FileSystem fs = manifest.getFileSystem(conf);
      if (!fs.exists(manifest)) {
        return null;
      }
      Map<String, Object> m;
      try (var in = fs.open(manifest)) {
        m = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      return m.get("fingerprint") instanceof Map<?, ?> f ? Fingerprint.fromMap(castMap(f)) : null;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("cannot read the manifest of {}: {}", out, e.getMessage());
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Map<?, ?> m) {
    return (Map<String, ?>) m;
  }

  /** True when {@code relative} exists in the temporary folder (a finished piece of a resumed run). */
  public boolean exists(String relative) {
    try {
      return fs.exists(new Path(tmp, relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names in folder {@code relative} of the temporary folder (empty when it does not exist). */
  public List<String> list(String relative) {
    try {
      Path dir = new Path(tmp, relative);
      List<String> out = new ArrayList<>();
      if (fs.exists(dir)) {
        for (FileStatus f : fs.listStatus(dir)) {
          out.add(f.getPath().getName());
        }
      }
      java.util.Collections.sort(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads file {@code relative} of the temporary folder. */
  public byte[] read(String relative) {
    try (var in = fs.open(new Path(tmp, relative))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }

  /** Deletes everything in the temporary folder but {@code keep} (a resumed job's kept pieces). */
  public void retainOnly(String keep) {
    try {
      for (FileStatus f : fs.listStatus(tmp)) {
        if (!f.getPath().getName().equals(keep)) {
          fs.delete(f.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + tmp, e);
    }
  }

  /** Deletes everything in the temporary folder (a resumed job that rewrites all its files). */
  public void clear() {
    retainOnly(null);
  }

  /** Deletes {@code relative} in the temporary folder if present. */
  public void delete(String relative) {
    try {
      fs.delete(new Path(tmp, relative), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + relative, e);
    }
  }

  /**
   * Refuses, before any work, to start writing {@code bytes} that the output's file system has
   * no room for (with 10% and 1 MiB to spare, for the summaries and the manifest). Object stores
   * report unlimited space and pass.
   *
   * @param what what would be written, for the message
   */
  public void requireSpace(long bytes, String what) {
    estimate = bytes;
    DiskSpace.require(fs, tmp, bytes, what);
  }

  /** What a full disk did to this output: "3.1 MB written, about 40.0 MB needed, 0 KB free". */
  String describeSpace() {
    long written = 0;
    try {
      if (fs.exists(tmp)) {
        written = fs.getContentSummary(tmp).getLength();
      }
    } catch (IOException e) {
      written = -1;
    }
    long free = DiskSpace.free(fs, tmp);
    return (written >= 0 ? DiskSpace.show(written) + " written, " : "")
        + (estimate >= 0 ? "about " + DiskSpace.show(DiskSpace.needed(estimate)) + " needed, " : "")
        + (free >= 0 ? DiskSpace.show(free) + " free" : "free space unknown");
  }

  /** Marks this output as one a later {@code --resume} continues: a failed run keeps it. */
  public RunOutput resumable() {
    this.resumable = true;
    return this;
  }

  boolean isResumable() {
    return resumable;
  }

  /**
   * Whether a {@code --resume} would find anything to keep: a file in the temporary folder (a
   * finished part, a table) or a finished cell. A run that failed before either (its data refused,
   * say) leaves nothing worth continuing.
   */
  boolean holdsWork() {
    try {
      return (fs.exists(tmp) && !listFiles(tmp).isEmpty())
          || (fs.exists(cellStore(target)) && fs.listFiles(cellStore(target), true).hasNext());
    } catch (IOException e) {
      return true; // when in doubt, keep
    }
  }

  /** The run ends unfinished and this folder is kept for {@code --resume}: nobody writes it now. */
  void release() {
    stopBeating();
    Owner.release(fs, tmp);
  }

  /** No heartbeat rewrites the owner file after this returns. */
  private synchronized void stopBeating() {
    beating = false;
    Owner.stop(this);
  }

  /** The run ends unfinished and this folder cannot be resumed: it is removed. */
  void discard() {
    discarded = true;
    stopBeating();
    try {
      fs.delete(tmp, true);
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", tmp, e.getMessage());
    }
    Owner.release(fs, tmp);
  }

  synchronized void touchOwner() {
    if (beating) {
      Owner.touch(fs, tmp);
    }
  }

  /** A location as a person reads it: local paths without "file:". */
  static String show(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  private static final java.util.regex.Pattern IN_PROGRESS =
      java.util.regex.Pattern.compile("/\\.([^/]+)\\.inprogress-[0-9a-z]+-[0-9a-f]{8}(?=/|$)");

  /**
   * {@code uri} with every temporary folder of an output ({@code .NAME.inprogress-ID}) named by
   * its final name {@code NAME}: what a summary records as a folder, since it is read after the
   * rename (a study's parts run inside the study's temporary folder).
   */
  public static String finalName(String uri) {
    return IN_PROGRESS.matcher(uri).replaceAll("/$1");
  }

  /** The final folder. */
  public Path target() {
    return target;
  }

  /** The URI of the temporary folder itself, for executors that write files into it. */
  public String rootUri() {
    return tmp.toString();
  }

  /** The URI of {@code relative} inside the temporary folder, for Spark's writers. */
  public String uri(String relative) {
    return new Path(tmp, relative).toString();
  }

  /** Creates (overwriting) file {@code relative} in the temporary folder. */
  public OutputStream create(String relative) throws IOException {
    if (discarded) {
      throw new IOException("the run was stopped and " + show(tmp) + " removed");
    }
    FSDataOutputStream s = fs.create(new Path(tmp, relative), true);
    return s;
  }

  public void writeText(String relative, String text) {
    try (OutputStream o = create(relative)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + relative, e);
    }
  }

  public void writeJson(String relative, Object tree) {
    writeText(relative, Json.write(tree) + "\n");
  }

  public void writeNpy(String relative, Matrix m) {
    try (OutputStream o = create(relative)) {
      Npy.write(o, m);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + relative, e);
    }
  }

  public void writeNpy(String relative, double[] v) {
    try (OutputStream o = create(relative)) {
      Npy.write(o, v);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + relative, e);
    }
  }

  /**
   * Writes the manifest and renames the folder to its final name. With overwrite, the previous
   * folder is moved aside first and deleted only after the rename succeeded.
   *
   * @return the final folder
   */
  public Path commit() {
    if (committed) {
      throw new IllegalStateException("already committed: " + target);
    }
    // The shutdown hook's abandon and this commit exclude each other: a SIGTERM during the rename
    // neither deletes a folder being renamed nor reports a finished output as removed.
    synchronized (OpenOutputs.class) {
      return commitLocked();
    }
  }

  private Path commitLocked() {
    if (discarded) {
      throw new IllegalStateException("the run was stopped and " + tmp + " removed");
    }
    try {
      List<Map<String, Object>> files = new ArrayList<>();
      long total = 0;
      for (FileStatus f : listFiles(tmp)) {
        String rel = tmp.toUri().relativize(f.getPath().toUri()).getPath();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("path", rel);
        e.put("bytes", f.getLen());
        files.add(e);
        total += f.getLen();
      }
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("complete", true);
      manifest.put("created", Instant.now().toString());
      manifest.put("total_bytes", total);
      if (fingerprint != null) {
        manifest.put("fingerprint", fingerprint.toMap());
      }
      manifest.put("files", files);
      writeJson(MANIFEST, manifest);
      KillPoints.reach("before-rename " + target.getName());

      Path aside = null;
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new UserInputException(
              "--out " + target + " appeared while the job ran; results left in " + tmp);
        }
        aside = new Path(target.getParent(), "." + target.getName() + ".replaced-" + tmp.getName());
        if (!fs.rename(target, aside)) {
          throw new IOException("cannot move the previous " + target + " aside");
        }
        KillPoints.reach("between-renames " + target.getName());
      }
      if (!fs.rename(tmp, target)) {
        if (aside != null) {
          fs.rename(aside, target);
        }
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      if (aside != null) {
        fs.delete(aside, true);
      }
      committed = true;
      stopBeating();
      OpenOutputs.closed(this);
      Owner.release(fs, tmp);
      // The finished cells are bookkeeping for a resumed run: they go once the output is complete.
      KillPoints.reach("after-rename " + target.getName());
      fs.delete(cellStore(target), true);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish output " + target + "; partial results in " + tmp, e);
    }
  }

  /** Every file under {@code dir}, recursively, in path order (Spark's _SUCCESS markers too). */
  private List<FileStatus> listFiles(Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    var it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      if (!f.getPath().getName().endsWith(".crc")) {
        out.add(f);
      }
    }
    out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
    return out;
  }

  /** The temporary folder, which a failed run leaves behind (it never looks finished). */
  public Path temporary() {
    return tmp;
  }
}
