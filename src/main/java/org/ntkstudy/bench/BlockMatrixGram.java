package org.ntkstudy.bench;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.DenseMatrix;
import org.apache.spark.mllib.linalg.distributed.BlockMatrix;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.MatrixBlock;
import scala.Tuple2;

/** The Gram suite's MLlib contender: G = A·Aᵀ with A = X as a cached {@link BlockMatrix}. */
final class BlockMatrixGram {
  private BlockMatrixGram() {}

  /**
   * A = X as an MLlib BlockMatrix of {@code block}×d blocks (what {@code toBlockMatrix(block, d)}
   * builds: column-major dense blocks, one block column), cached and materialised so that only
   * the product is timed.
   */
  static BlockMatrix cached(JavaSparkContext jsc, Matrix x, int block) {
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    int d = x.cols();
    JavaRDD<Tuple2<Tuple2<Object, Object>, org.apache.spark.mllib.linalg.Matrix>> blocks =
        rows.rdd()
            .map(rb -> {
              Matrix colMajor = rb.rows().transpose();
              org.apache.spark.mllib.linalg.Matrix m = new DenseMatrix(rb.rows().rows(), d, colMajor.data());
              Tuple2<Object, Object> key = new Tuple2<>(rb.index(), 0);
              return new Tuple2<Tuple2<Object, Object>, org.apache.spark.mllib.linalg.Matrix>(key, m);
            });
    blocks.cache();
    BlockMatrix a = new BlockMatrix(blocks.rdd(), block, d, x.rows(), d);
    GramCheck.requireElements(elements(a), (long) x.rows() * d, "BlockMatrix A");
    rows.release();
    return a;
  }

  /** One timed run of MLlib's product, A (already cached) times its transpose, blocks materialised. */
  static double time(BlockMatrix a, int n) {
    long t0 = System.nanoTime();
    BlockMatrix g = a.multiply(a.transpose());
    long elements = elements(g);
    double s = (System.nanoTime() - t0) / 1e9;
    GramCheck.requireElements(elements, (long) n * n, "BlockMatrix");
    return s;
  }

  /** The product once more, its upper-triangle blocks row-major on the driver (for the check). */
  static List<MatrixBlock> upperBlocks(BlockMatrix a) {
    return a.multiply(a.transpose())
        .blocks()
        .toJavaRDD()
        .filter(b -> (Integer) b._1()._1() <= (Integer) b._1()._2())
        .map(b -> {
          org.apache.spark.mllib.linalg.Matrix m = b._2();
          // toArray is column-major: read as cols×rows row-major, it is the transpose.
          Matrix rowMajor = new Matrix(m.numCols(), m.numRows(), m.toArray()).transpose();
          return new MatrixBlock((Integer) b._1()._1(), (Integer) b._1()._2(), rowMajor);
        })
        .collect();
  }

  /** Touches every block (so it is computed) and counts its elements, one number per task. */
  private static long elements(BlockMatrix m) {
    return m.blocks().toJavaRDD().map(b -> (long) b._2().numRows() * b._2().numCols()).reduce(Long::sum);
  }
}
