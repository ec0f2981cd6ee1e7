package org.ntkstudy.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.RunOutput;

/**
 * What every job whose cells run on {@link CellGrid} shares (sweep, train, influence, robustness):
 * {@code --resume} — an unfinished run of the same output is continued, its finished cells with
 * the same settings read back — and the test-only failure hook, applied alike to the job's output
 * and to its grid.
 *
 * @param <J> the job itself, so that the setters chain
 */
public abstract class GridJob<J extends GridJob<J>> {
  private boolean resume;
  private int failAfterCells;

  /** Continue an unfinished run of the same {@code --out}, keeping its finished cells (the study's {@code --resume}). */
  @SuppressWarnings("unchecked")
  public J resume(boolean resume) {
    this.resume = resume;
    return (J) this;
  }

  /** Test only: fail the job once this many cells have finished in this JVM (0: never). Local mode. */
  @SuppressWarnings("unchecked")
  public J failAfterCells(int cells) {
    this.failAfterCells = cells;
    return (J) this;
  }

  /** Whether this run continues an unfinished one. */
  protected boolean resuming() {
    return resume;
  }

  /**
   * The checks of the output folder before any work (a fresh run only: a resumed one continues an
   * unfinished folder), so that a refused run creates nothing.
   */
  protected void checkOutput(String out, boolean overwrite, Configuration conf) {
    if (!resume) {
      RunOutput.check(out, overwrite, conf);
    }
  }

  /** The output folder: the unfinished one of an earlier run when resuming, else a new one. */
  protected RunOutput openOutput(String out, boolean overwrite, Configuration conf) {
    return (resume ? RunOutput.resume(out, conf) : RunOutput.open(out, overwrite, conf)).resumable();
  }

  /** The job's grid (or one of its stages'), resuming and failing as this job was told to. */
  public CellGrid grid(JavaSparkContext jsc, String name, RunOutput output, Fingerprint cellSettings) {
    return CellGrid.of(jsc, name, output, cellSettings).resume(resume).failAfter(failAfterCells);
  }
}
