package org.ntkstudy.jobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.ntkstudy.io.RunOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finished grid cell's result, kept in the job's unfinished output folder ({@code cells/}) by the
 * task that computed it, so that a resumed run reads it back instead of recomputing it. Written to
 * a temporary name and renamed: a file that exists is complete. The job deletes {@code cells/}
 * before it commits, so finished outputs are the same with or without a resume.
 */
public final class CellFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CellFiles.class);
  /** The folder of kept cells inside a run's output. */
  public static final String DIR = "cells";

  /** Cells finished in this JVM since the last reset: the test-only failure point (local mode). */
  static final java.util.concurrent.atomic.AtomicInteger FINISHED = new java.util.concurrent.atomic.AtomicInteger();

  private CellFiles() {}

  /**
   * Test only ({@code study --fail-after-blocks N}): counts a finished cell and fails the task once
   * {@code failAfter} cells have finished in this JVM since the count was reset. 0: never.
   */
  public static void finished(int failAfter) {
    if (failAfter > 0 && FINISHED.incrementAndGet() >= failAfter) {
      throw new IllegalStateException("test-only failure after " + failAfter + " finished cells");
    }
  }

  /** Writes {@code result} to {@code uri} (inside the output's temporary folder). */
  public static void write(String uri, Serializable result, SerializableConfiguration conf) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf.value());
    Path part = new Path(p.getParent(), "." + p.getName() + ".part");
    try (ObjectOutputStream o = new ObjectOutputStream(fs.create(part, true))) {
      o.writeObject(result);
    }
    if (!fs.rename(part, p)) {
      throw new IOException("cannot rename " + part + " to " + p);
    }
  }

  /** A kept result, or null when there is none or it is unreadable (the cell is then recomputed). */
  public static <T> T read(RunOutput output, String file, Class<T> type) {
    if (!output.exists(file)) {
      return null;
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(output.read(file)))) {
      return type.cast(in.readObject());
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      LOG.warn("kept cell {} unreadable ({}): recomputing it", file, e.toString());
      return null;
    }
  }
}
