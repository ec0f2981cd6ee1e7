package org.ntkstudy.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.ntkstudy.math.Matrix;

/**
 * H∞ of a model's inputs on train×train and test×train, computed in blocks across executors and
 * assembled on the driver: the reference the width sweep and the trainer measure against.
 *
 * @param train H∞(X, X)
 * @param test H∞(X*, X)
 */
public record AnalyticReference(Matrix train, Matrix test) {

  /** Computes both blocked H∞ matrices of {@code inputs}. */
  public static AnalyticReference of(JavaSparkContext jsc, ModelInputs inputs, int block, String group) {
    BlockedRows train = BlockedRows.broadcast(jsc, inputs.train(), block);
    BlockedRows test = BlockedRows.broadcast(jsc, inputs.test(), Math.min(block, inputs.test().rows()));
    try {
      String model = inputs.model().key();
      Matrix h = Stages.run(jsc, group + "/h-inf-" + model, "H_inf (" + model + ") train x train, "
          + train.grid().numPairs() + " blocks", () -> BlockStore.collectSymmetric(
              train.symmetricBlocks(NtkBlockKernels.analytic(), 0), train.grid(), Long.MAX_VALUE));
      Matrix hTest = Stages.run(jsc, group + "/h-inf-test-" + model, "H_inf (" + model + ") test x train",
          () -> BlockStore.assembleRectangular(test.crossBlocks(train, NtkBlockKernels.analytic(), 0).collect(),
              test.grid(), train.grid()));
      return new AnalyticReference(h, hTest);
    } finally {
      train.release();
      test.release();
    }
  }
}
