package org.ntkstudy.data;

import java.io.Serializable;
import org.ntkstudy.math.Matrix;

/**
 * The selected examples of one split (train or test), ready for the study: pixels p, inputs x =
 * z/|z| (SCIENCE §0, §0.1; z = p by default), labels and targets, row i of every field describing
 * the same example.
 *
 * <p>Immutable by contract: the arrays and matrices are shared, not copied, and nobody writes to
 * them (copy a matrix before changing it — an attack perturbs a copy of {@link #pixels()}).
 */
public final class Split implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final Matrix pixels;
  private final Matrix inputs;
  private final int[] labels;
  private final int[] classIndex;
  private final int[] sourceIndex;
  private final Matrix targets;

  /**
   * @param source the file(s) the examples came from
   * @param pixels n×d, p ∈ [0, 1]
   * @param inputs n×d, x = z(p)/|z(p)| (SCIENCE §0.1)
   * @param labels the original labels
   * @param classIndex each example's position 0..k−1 in the class list
   * @param sourceIndex each example's index in the split it came from (file order)
   * @param targets n×1 of ±1 (binary) or n×k one-hot (multiclass)
   */
  public Split(
      String source,
      Matrix pixels,
      Matrix inputs,
      int[] labels,
      int[] classIndex,
      int[] sourceIndex,
      Matrix targets) {
    int n = pixels.rows();
    if (inputs.rows() != n || inputs.cols() != pixels.cols() || labels.length != n
        || classIndex.length != n || sourceIndex.length != n || targets.rows() != n) {
      throw new IllegalArgumentException(
          "split fields disagree on the number of examples: pixels " + pixels + ", inputs "
              + inputs + ", labels " + labels.length + ", classIndex " + classIndex.length
              + ", sourceIndex " + sourceIndex.length + ", targets " + targets);
    }
    this.source = source;
    this.pixels = pixels;
    this.inputs = inputs;
    this.labels = labels;
    this.classIndex = classIndex;
    this.sourceIndex = sourceIndex;
    this.targets = targets;
  }

  public String source() {
    return source;
  }

  /** n×d pixels p ∈ [0, 1]. */
  public Matrix pixels() {
    return pixels;
  }

  /** n×d inputs x = z/|z| (SCIENCE §0.1), unit rows. */
  public Matrix inputs() {
    return inputs;
  }

  /** The original labels (shared array: do not modify). */
  public int[] labels() {
    return labels;
  }

  /** Positions 0..k−1 in the class list (shared array: do not modify). */
  public int[] classIndex() {
    return classIndex;
  }

  /** Index of each example in its split's file order (shared array: do not modify). */
  public int[] sourceIndex() {
    return sourceIndex;
  }

  /** n×1 of ±1 (binary) or n×k one-hot (multiclass). */
  public Matrix targets() {
    return targets;
  }

  /** Number of examples. */
  public int n() {
    return pixels.rows();
  }

  /** Pixels per example. */
  public int d() {
    return pixels.cols();
  }

  @Override
  public String toString() {
    return "Split[" + n() + "x" + d() + " from " + source + "]";
  }
}
