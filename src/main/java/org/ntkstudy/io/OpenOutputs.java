package org.ntkstudy.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The output folders this process is writing, and what becomes of them when the run ends without
 * finishing — an exception, a full disk, SIGINT or SIGTERM: a folder that cannot be resumed is
 * removed, one that can (a study's, a grid job's) and holds finished work is kept, and the user is
 * told the command that continues it. {@link RunOutput} registers itself when opened and leaves when committed; the
 * command line ({@code Main}) calls {@link #abandon} on a failure, and a shutdown hook (run after
 * Spark's own, which stop the context, and before Hadoop closes the file systems) on a signal.
 */
public final class OpenOutputs {
  /** After Spark's hooks (FileSystem.SHUTDOWN_HOOK_PRIORITY + 30), before the file systems close (+0). */
  private static final int HOOK_PRIORITY = 20;

  private static final List<RunOutput> OPEN = new ArrayList<>();
  private static String resumeCommand;
  private static boolean hookInstalled;

  private OpenOutputs() {}

  /**
   * A new run of the command line starts: outputs left registered by an earlier run in this JVM
   * (a test's simulated kill) are forgotten, and {@code resumeCommand} is what the user runs to
   * continue this one.
   */
  public static synchronized void begin(String resumeCommand) {
    forget();
    OpenOutputs.resumeCommand = resumeCommand;
    installHook();
  }

  static synchronized void opened(RunOutput output) {
    OPEN.add(output);
    Owner.heartbeat(output);
  }

  static synchronized void closed(RunOutput output) {
    OPEN.remove(output);
  }

  /** True when {@code e}, or anything that caused it (also in a Spark task's text), is a full disk. */
  public static boolean diskFull(Throwable e) {
    return DiskSpace.diskFull(e);
  }

  /** The process "died" (a test's kill point): everything is left on disk as it is. */
  public static synchronized void forget() {
    OPEN.forEach(Owner::stop);
    OPEN.clear();
  }

  /**
   * Ends every output this process still has open, the innermost first (a study's parts before the
   * study): one that cannot be resumed is removed, one that can is kept. Each output is handled
   * once, so a signal arriving while a failure is being reported does no harm.
   *
   * @param diskFull whether the run failed for want of space (then each removed folder's size and
   *     the free space are said)
   * @return what the user should be told, as clauses of one line ("" when nothing was open)
   */
  public static synchronized String abandon(boolean diskFull) {
    List<String> removed = new ArrayList<>();
    RunOutput kept = null;
    for (int i = OPEN.size() - 1; i >= 0; i--) {
      RunOutput o = OPEN.get(i);
      if (o.isResumable() && o.holdsWork()) {
        o.release();
        kept = o; // the outermost resumable one is what --resume continues
      } else {
        String size = diskFull ? o.describeSpace() : null;
        o.discard();
        removed.add(RunOutput.show(o.target()) + (size == null ? "" : " (" + size + ")"));
      }
    }
    OPEN.clear();
    List<String> clauses = new ArrayList<>();
    if (!removed.isEmpty()) {
      clauses.add("the unfinished output " + String.join(", ", removed) + " was removed");
    }
    if (kept != null) {
      clauses.add((diskFull ? "after freeing some space, " : "") + "its finished pieces are kept in "
          + RunOutput.show(kept.temporary()) + ": to continue, run " + resumeCommand());
    }
    return String.join("; ", clauses);
  }

  private static String resumeCommand() {
    return resumeCommand == null ? "the same command with --resume" : resumeCommand;
  }

  private static synchronized void installHook() {
    if (hookInstalled) {
      return;
    }
    hookInstalled = true;
    org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(OpenOutputs::interrupted, HOOK_PRIORITY);
  }

  /**
   * The run was interrupted (SIGINT, SIGTERM, or System.exit with outputs still open; the shutdown
   * hook calls this): its outputs are abandoned (once) and the user told what became of them.
   */
  public static void interrupted() {
    String told;
    synchronized (OpenOutputs.class) {
      if (OPEN.isEmpty()) {
        return;
      }
      told = abandon(false);
    }
    System.err.println("interrupted: " + told);
    System.err.flush();
  }
}
