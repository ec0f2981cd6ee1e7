package org.ntkstudy.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.math.Attention;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;

/**
 * The inputs a model sees (SCIENCE §1–§2): x for {@code relu}; for {@code attn} the attended
 * features x̃ = Cx/|Cx| with C = XᵀX of the training set, for training and test points alike (a
 * test point attends over the training set). C is a distributed aggregation, X̃ a map over row
 * blocks.
 *
 * @param covariance C (d×d); null for relu
 * @param train the model's training inputs (n×d)
 * @param test the model's test inputs (n*×d)
 */
public record ModelInputs(Model model, Matrix covariance, Matrix train, Matrix test) {

  /** The inputs of {@code model} for raw inputs {@code x} (train) and {@code xTest}. */
  public static ModelInputs of(JavaSparkContext jsc, Model model, Matrix x, Matrix xTest, int block) {
    if (model == Model.RELU) {
      return new ModelInputs(model, null, x, xTest);
    }
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    try {
      Matrix c = Stages.run(jsc, "attn/covariance",
          "C = X^T X (" + x.cols() + "x" + x.cols() + ") over " + rows.grid().numBlocks() + " row blocks",
          rows::gramian);
      return attend(jsc, rows, c, xTest, block);
    } finally {
      rows.release();
    }
  }

  /** X̃ and X̃* from C already computed over {@code rows} (the training inputs, broadcast). */
  public static ModelInputs attend(JavaSparkContext jsc, BlockedRows rows, Matrix c, Matrix xTest, int block) {
    Broadcast<Matrix> cb = jsc.broadcast(c);
    try {
      Matrix train = Stages.run(jsc, "attn/attend",
          "attended features X~ = rows of XC normalised, " + rows.grid().numBlocks() + " row blocks",
          () -> rows.mapRows(b -> Attention.attend(b.rows(), cb.value(), b.row0())));
      Matrix test = xTest;
      if (xTest.rows() > 0) {
        BlockedRows testRows = BlockedRows.broadcast(jsc, xTest, Math.min(block, xTest.rows()));
        try {
          test = Stages.run(jsc, "attn/attend-test", "test points attend over the training set",
              () -> testRows.mapRows(b -> Attention.attend(b.rows(), cb.value(), b.row0())));
        } finally {
          testRows.release();
        }
      }
      return new ModelInputs(Model.ATTN, c, train, test);
    } finally {
      cb.unpersist(false);
    }
  }
}
