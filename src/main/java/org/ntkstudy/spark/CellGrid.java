package org.ntkstudy.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.RunOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid engine of the sweep, train and influence jobs: a list of independent cells, one Spark
 * task each, every finished cell's result kept in the output's cell store ({@link
 * RunOutput#cellStoreUri()}) by the task that computed it, with the fingerprint of the settings it
 * was computed with. A resumed run reads back the cells whose fingerprint is the current one and
 * computes only the others; a cell computed with other settings is recomputed, and the log names
 * the settings that changed. The cell store goes when the output is committed, so finished outputs
 * are the same with or without a resume.
 *
 * <p>Results come back in the order of the cells given, whatever the partitioning and whichever
 * cells were kept: a job's tables depend only on its settings.
 */
public final class CellGrid {
  private static final Logger LOG = LoggerFactory.getLogger(CellGrid.class);

  /** Cells finished in this JVM since the last {@link #resetFinishedCount}: the test-only failure hook. */
  private static final AtomicInteger FINISHED = new AtomicInteger();

  /** One cell of a grid: its coordinates, named by a key that is a valid file name. */
  public interface Cell extends Serializable {
    /** The cell's coordinates as a file name, unique within its grid, e.g. {@code relu_m64_seed1}. */
    String key();
  }

  /** The work of one cell, run in a task. */
  @FunctionalInterface
  public interface Compute<C, R> extends Serializable {
    R apply(C cell) throws Exception;
  }

  /** What a cell file holds: the settings and the result. */
  private record Kept(Fingerprint fingerprint, Serializable result) implements Serializable {}

  private final JavaSparkContext jsc;
  private final String name;
  private final String store;
  private final Fingerprint fingerprint;
  private boolean resume;
  private int failAfter;
  private int partitions;
  private final List<Broadcast<?>> broadcasts = new ArrayList<>();

  private CellGrid(JavaSparkContext jsc, String name, String store, Fingerprint fingerprint) {
    this.jsc = jsc;
    this.name = name;
    this.store = store;
    this.fingerprint = fingerprint;
  }

  /**
   * A grid named {@code name} (the job group of its Spark stage, e.g. {@code train/cells}) whose
   * cells are kept beside {@code output}, computed with the settings {@code fingerprint} (the
   * job's settings without the grid's axes, which the cells' keys name).
   */
  public static CellGrid of(JavaSparkContext jsc, String name, RunOutput output, Fingerprint fingerprint) {
    return new CellGrid(jsc, name, output.cellStoreUri() + "/" + name.replace('/', '-'), fingerprint);
  }

  /** Read back the cells an earlier, unfinished run of the same output finished (with the same settings). */
  public CellGrid resume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** Test only: fail the task that finishes the {@code cells}-th cell in this JVM (0: never). Local mode. */
  public CellGrid failAfter(int cells) {
    this.failAfter = cells;
    return this;
  }

  /** At most this many tasks (0: one per cell). */
  public CellGrid partitions(int partitions) {
    this.partitions = partitions;
    return this;
  }

  /** Test only: restarts the count of {@link #failAfter} and {@link #finishedCount}. */
  public static void resetFinishedCount() {
    FINISHED.set(0);
  }

  /** Test only: cells computed (not read back) in this JVM since {@link #resetFinishedCount}. Local mode. */
  public static int finishedCount() {
    return FINISHED.get();
  }

  /** Broadcasts {@code value} for the cells; released when {@link #release} is called. */
  public <T> Broadcast<T> broadcast(T value) {
    Broadcast<T> b = jsc.broadcast(value);
    broadcasts.add(b);
    return b;
  }

  /** Releases the grid's broadcasts on the executors. */
  public void release() {
    for (Broadcast<?> b : broadcasts) {
      b.unpersist(false);
    }
    broadcasts.clear();
  }

  /**
   * Computes every cell that is not kept, one task each, and returns all results in the order of
   * {@code cells}.
   *
   * @param description what the Spark UI and the log say the stage is
   */
  public <C extends Cell, R extends Serializable> List<R> run(List<C> cells, String description,
      Compute<C, R> compute) {
    Map<String, R> done = resume ? readKept(cells) : new HashMap<>();
    List<C> todo = todo(cells, done);
    if (!todo.isEmpty()) {
      Broadcast<SerializableConfiguration> hadoop =
          jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
      String dir = store;
      String gridName = name;
      Fingerprint fp = fingerprint;
      int fail = failAfter;
      int slices = partitions > 0 ? Math.min(partitions, todo.size()) : todo.size();
      List<Object[]> computed = Stages.run(jsc, name, description,
          () -> jsc.parallelize(todo, slices).map(c -> {
            R r = compute.apply(c);
            finished(dir, gridName, c, new Kept(fp, r), fail, hadoop.value());
            return new Object[] {c.key(), r};
          }).collect());
      hadoop.unpersist(false);
      for (Object[] kr : computed) {
        @SuppressWarnings("unchecked")
        R r = (R) kr[1];
        done.put((String) kr[0], r);
      }
    }
    return inOrder(cells, done);
  }

  /**
   * As {@link #run}, but the cells one after the other from the driver: for cells too large for a
   * task, whose own steps are spread over the executors.
   */
  public <C extends Cell, R extends Serializable> List<R> runOnDriver(List<C> cells, Compute<C, R> compute) {
    Map<String, R> done = resume ? readKept(cells) : new HashMap<>();
    SerializableConfiguration hadoop = new SerializableConfiguration(jsc.hadoopConfiguration());
    for (C c : todo(cells, done)) {
      try {
        R r = compute.apply(c);
        finished(store, name, c, new Kept(fingerprint, r), failAfter, hadoop);
        done.put(c.key(), r);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(name + ": cell " + c.key() + " failed: " + e.getMessage(), e);
      }
    }
    return inOrder(cells, done);
  }

  private <C extends Cell, R> List<C> todo(List<C> cells, Map<String, R> done) {
    List<C> todo = new ArrayList<>();
    for (C c : cells) {
      if (!done.containsKey(c.key())) {
        todo.add(c);
      }
    }
    if (!done.isEmpty()) {
      LOG.info("{}: resuming, {} finished cells read back, {} to compute", name, done.size(), todo.size());
    }
    return todo;
  }

  private static <C extends Cell, R> List<R> inOrder(List<C> cells, Map<String, R> done) {
    List<R> out = new ArrayList<>(cells.size());
    for (C c : cells) {
      out.add(done.get(c.key()));
    }
    return out;
  }

  /** Keeps a computed cell's result, then passes the test-only crash and failure points. */
  private static void finished(String dir, String gridName, Cell c, Kept kept, int failAfter,
      SerializableConfiguration conf) throws IOException {
    write(dir + "/" + c.key() + ".cell", kept, conf);
    KillPoints.reach(gridName + " cell");
    if (FINISHED.incrementAndGet() >= failAfter && failAfter > 0) {
      throw new IllegalStateException("test-only failure after " + failAfter + " finished cells");
    }
  }

  /** The kept results of {@code cells} computed with this grid's settings; logs what changed for the others. */
  private <C extends Cell, R> Map<String, R> readKept(List<C> cells) {
    Map<String, R> kept = new HashMap<>();
    Map<String, Integer> changes = new LinkedHashMap<>();
    try {
      Path dir = new Path(store);
      FileSystem fs = dir.getFileSystem(jsc.hadoopConfiguration());
      for (C c : cells) {
        Path p = new Path(dir, c.key() + ".cell");
        if (!fs.exists(p)) {
          continue;
        }
        Kept k;
        try (var in = fs.open(p); ObjectInputStream o = new ObjectInputStream(
            new ByteArrayInputStream(in.readAllBytes()))) {
          k = (Kept) o.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
          LOG.warn("{}: kept cell {} unreadable ({}): recomputing it", name, c.key(), e.toString());
          continue;
        }
        if (!k.fingerprint().equals(fingerprint)) {
          for (String change : fingerprint.changesFrom(k.fingerprint())) {
            changes.merge(change, 1, Integer::sum);
          }
          continue;
        }
        @SuppressWarnings("unchecked")
        R r = (R) k.result();
        kept.put(c.key(), r);
      }
    } catch (IOException e) {
      LOG.warn("{}: cannot read the kept cells in {} ({}): computing every cell", name, store, e.toString());
      return new HashMap<>();
    }
    changes.forEach((change, count) -> LOG.info("{}: {} kept cells recomputed, the setting changed: {}", name,
        count, change));
    return kept;
  }

  /** Writes a cell file under a temporary name and renames it: a cell file that exists is complete. */
  private static void write(String uri, Serializable kept, SerializableConfiguration conf) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf.value());
    Path part = new Path(p.getParent(), "." + p.getName() + ".part");
    try (ObjectOutputStream o = new ObjectOutputStream(fs.create(part, true))) {
      o.writeObject(kept);
    }
    fs.delete(p, false); // a cell recomputed with other settings replaces its old file
    if (!fs.rename(part, p)) {
      throw new IOException("cannot rename " + part + " to " + p);
    }
  }
}
