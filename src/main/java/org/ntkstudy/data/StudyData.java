package org.ntkstudy.data;

import java.io.Serializable;

/**
 * Everything the jobs take from the data: the spec it was loaded with, the task, the class list
 * and the preprocessed train and test splits (SCIENCE §0).
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

  /**
   * @param classes the class labels in output order (as named, or ascending for {@code all});
   *     position c of this array is class index c of the splits
   */
  public StudyData(DatasetSpec spec, Task task, int[] classes, Split train, Split test, int d) {
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

  @Override
  public String toString() {
    return "StudyData[" + spec.dataset() + ", " + task + " over " + java.util.Arrays.toString(classes)
        + ", train " + train.n() + ", test " + test.n() + ", d " + d + "]";
  }
}
