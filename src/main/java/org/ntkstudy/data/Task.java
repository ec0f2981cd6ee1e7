package org.ntkstudy.data;

import org.ntkstudy.math.Matrix;

/**
 * The learning task a class list implies (SCIENCE §0, "Tasks"): two classes are a binary ±1
 * regression, more are a one-hot multiclass problem.
 */
public enum Task {
  /** Exactly two classes: one output, y = +1 for the first class named (c+), −1 for the other. */
  BINARY,
  /** Three or more classes: one output per class, in class-list order, one-hot targets. */
  MULTICLASS;

  /** The task for {@code k} selected classes (k ≥ 2). */
  public static Task of(int k) {
    if (k < 2) {
      throw new IllegalArgumentException("a task needs at least two classes, got " + k);
    }
    return k == 2 ? BINARY : MULTICLASS;
  }

  /** Number of network outputs for {@code k} classes: 1 for binary, k for multiclass. */
  public int outputs(int k) {
    return this == BINARY ? 1 : k;
  }

  /**
   * Targets for examples whose class positions (0..k−1 in the class list) are {@code classIndex}:
   * n×1 of ±1 (position 0 is +1) for binary, n×k one-hot for multiclass.
   */
  public Matrix targets(int[] classIndex, int k) {
    int out = outputs(k);
    Matrix y = new Matrix(classIndex.length, out);
    for (int i = 0; i < classIndex.length; i++) {
      int c = classIndex[i];
      if (c < 0 || c >= k) {
        throw new IllegalArgumentException("class position " + c + " outside 0.." + (k - 1));
      }
      if (this == BINARY) {
        y.set(i, 0, c == 0 ? 1.0 : -1.0);
      } else {
        y.set(i, c, 1.0);
      }
    }
    return y;
  }
}
