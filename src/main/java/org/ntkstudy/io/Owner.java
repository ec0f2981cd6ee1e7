package org.ntkstudy.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Who is writing an unfinished output: a small file beside its temporary folder
 * ({@code .NAME.inprogress-ID.owner}) with the host, the process id and the process's start time,
 * touched every 20 s while the run lives. A second run on the same {@code --out} asks it whether
 * the folder is still being written (then it is refused) or was left by a run that died (then a
 * fresh run removes it and {@code --resume} continues it).
 */
final class Owner {
  static final String SUFFIX = ".owner";
  private static final long BEAT_MS = 20_000;
  /** A run on another host whose owner file was not touched for this long is taken for dead. */
  private static final long STALE_MS = 90_000;
  private static final String HOST = host();
  private static final long PID = ProcessHandle.current().pid();
  private static final String START = start(ProcessHandle.current());
  private static final Set<RunOutput> BEATING = ConcurrentHashMap.newKeySet();
  private static ScheduledExecutorService timer;

  private Owner() {}

  /** The owner file of temporary folder {@code tmp}. */
  static Path fileOf(Path tmp) {
    return new Path(tmp.getParent(), tmp.getName() + SUFFIX);
  }

  /** Records this process as the writer of {@code tmp} (before the folder itself is made). */
  static void claim(FileSystem fs, Path tmp) throws IOException {
    try (FSDataOutputStream o = fs.create(fileOf(tmp), true)) {
      o.write((HOST + " " + PID + " " + START + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Removes the owner file of {@code tmp}: nobody is writing it any more. */
  static void release(FileSystem fs, Path tmp) {
    try {
      fs.delete(fileOf(tmp), false);
    } catch (IOException e) {
      // An owner file left behind names a process that is gone: the folder reads as abandoned.
    }
  }

  /**
   * The run still writing {@code tmp} ("process 123 on host-a"), or null when none is: its owner
   * file is missing, names a process of this host that has ended, names this very process (a test's
   * simulated kill: one JVM never runs two jobs on one output), or is from another host and was not
   * touched for 90 s.
   */
  static String liveWriter(FileSystem fs, Path tmp) {
    Path file = fileOf(tmp);
    FileStatus status;
    try {
      if (!fs.exists(file)) {
        return null;
      }
      status = fs.getFileStatus(file);
    } catch (IOException e) {
      return null;
    }
    String text;
    try (var in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      text = ""; // judged by its age below
    }
    long age = System.currentTimeMillis() - status.getModificationTime();
    String[] f = text.split(" ", 3);
    long pid;
    try {
      pid = f.length < 3 ? -1 : Long.parseLong(f[1]);
    } catch (NumberFormatException e) {
      pid = -1;
    }
    if (pid < 0) {
      // Caught while being written, or unreadable: alive while it is recent.
      return age < STALE_MS ? "a run whose owner file " + fileOf(tmp).getName() + " was written " + age / 1000
          + " s ago" : null;
    }
    String who = "process " + pid + " on " + f[0];
    if (f[0].equals(HOST)) {
      if (pid == PID) {
        return null;
      }
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      return h.isPresent() && h.get().isAlive() && f[2].equals(start(h.get())) ? who : null;
    }
    return age < STALE_MS ? who + " (alive " + age / 1000 + " s ago)" : null;
  }

  /** Keeps {@code output}'s owner file fresh until {@link #stop}. */
  static synchronized void heartbeat(RunOutput output) {
    BEATING.add(output);
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ntk-output-owner");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(Owner::beat, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
    }
  }

  static void stop(RunOutput output) {
    BEATING.remove(output);
  }

  private static void beat() {
    for (RunOutput o : BEATING) {
      o.touchOwner();
    }
  }

  static void touch(FileSystem fs, Path tmp) {
    try {
      Path file = fileOf(tmp);
      long before = fs.getFileStatus(file).getModificationTime();
      long now = System.currentTimeMillis();
      fs.setTimes(file, now, -1);
      // Object stores (s3a, gs) keep no settable modification time: there it is written again.
      if (fs.getFileStatus(file).getModificationTime() == before && fs.exists(tmp)) {
        claim(fs, tmp);
      }
    } catch (IOException | RuntimeException e) {
      // A missed beat only makes the folder look idle sooner to a run on another host.
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static String start(ProcessHandle h) {
    return h.info().startInstant().map(Object::toString).orElse("?");
  }
}
