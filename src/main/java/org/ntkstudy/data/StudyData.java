package org.ntkstudy.data;

import java.io.Serializable;
import org.ntkstudy.math.InputNorm;

/**
 * Everything the jobs take from the data: the spec it was loaded with, the task, the class list,
 * the preprocessed train and test splits (SCIENCE §0) and the input normalisation with its fixed
 * training statistics (SCIENCE §0.1), which every stage that recomputes inputs from (perturbed)
 * pixels must use.
 *
 * <p>Immutable by contract: fields are shared, not copied, and never written.
 */
public final class StudyData implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DatasetSpec spec;
  private final Task task;
  private final int[] classes;
  private final Split train;
  private final Split test;
  private final int d;
  private final InputNorm inputNorm;

  /**
   * @param classes the class labels in output order (as named, or ascending for {@code all});
   *     position c of this array is class index c of the splits
   */
  public StudyData(DatasetSpec spec, Task task, int[] classes, Split train, Split test, int d) {
    this(spec, task, classes, train, test, d, InputNorm.unit());
  }

  /**
   * @param classes as above
   * @param inputNorm the normalisation the splits' inputs were made with (its kind is the spec's)
   */
  public StudyData(DatasetSpec spec, Task task, int[] classes, Split train, Split test, int d,
      InputNorm inputNorm) {
    if (inputNorm == null || inputNorm.kind() != spec.inputNormKind()) {
      throw new IllegalArgumentException("input normalisation " + inputNorm + " but the spec says "
          + spec.inputNorm());
    }
    if (train.d() != d || test.d() != d) {
      throw new IllegalArgumentException(
          "dimension " + d + " but train has " + train.d() + " and test " + test.d());
    }
    if (Task.of(classes.length) != task) {
      throw new IllegalArgumentException(task + " with " + classes.length + " classes");
    }
    this.spec = spec;
    this.task = task;
    this.classes = classes;
    this.train = train;
    this.test = test;
    this.d = d;
    this.inputNorm = inputNorm;
  }

  public DatasetSpec spec() {
    return spec;
  }

  public Task task() {
    return task;
  }

  /** Class labels in output order (shared array: do not modify). */
  public int[] classes() {
    return classes;
  }

  /** Number of classes k. */
  public int k() {
    return classes.length;
  }

  public Split train() {
    return train;
  }

  public Split test() {
    return test;
  }

  /** Pixels per example. */
  public int d() {
    return d;
  }

  /**
   * The input normalisation of SCIENCE §0.1 with the statistics of the selected clean training
   * examples: recompute inputs from pixels with it, never with statistics of other pixels.
   */
  public InputNorm inputNorm() {
    return inputNorm;
  }

  @Override
  public String toString() {
    return "StudyData[" + spec.dataset() + ", " + inputNorm.kind().key() + ", " + task + " over " + java.util.Arrays.toString(classes)
        + ", train " + train.n() + ", test " + test.n() + ", d " + d + "]";
  }
}
