package org.ntkstudy.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.BlockLanczos;
import org.ntkstudy.math.Matrix;
import scala.Tuple2;

/**
 * A symmetric matrix stored as upper-triangle blocks (e.g. Parquet on disk) applied to an n×p
 * block V without ever being assembled: each block K_IJ contributes K_IJ V_J to rows I and, off
 * the diagonal, K_IJᵀ V_I to rows J; the contributions are summed per row block. One application
 * is one pass over the blocks; only V (broadcast) and K V (n×p) touch the driver.
 */
public final class BlockedOperator implements BlockLanczos.Operator {
  private final JavaSparkContext jsc;
  private final JavaRDD<MatrixBlock> blocks;
  private final BlockGrid grid;

  public BlockedOperator(JavaSparkContext jsc, JavaRDD<MatrixBlock> blocks, BlockGrid grid) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.grid = grid;
  }

  @Override
  public Matrix apply(Matrix v) {
    if (v.rows() != grid.n()) {
      throw new IllegalArgumentException("operator is " + grid.n() + "x" + grid.n() + ", block has " + v.rows() + " rows");
    }
    int p = v.cols();
    BlockGrid g = grid;
    Matrix[] parts = new Matrix[g.numBlocks()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = v.rowRange(g.blockStart(i), g.blockStart(i) + g.blockRows(i));
    }
    Broadcast<Matrix[]> vb = jsc.broadcast(parts);
    try {
      List<Tuple2<Integer, Matrix>> sums = blocks.flatMapToPair(b -> {
        List<Tuple2<Integer, Matrix>> out = new ArrayList<>(2);
        Matrix[] vp = vb.value();
        out.add(new Tuple2<>(b.blockRow(), Blas.multiply(b.values(), vp[b.blockCol()])));
        if (b.blockRow() != b.blockCol()) {
          out.add(new Tuple2<>(b.blockCol(), Blas.multiplyTransposeLeft(b.values(), vp[b.blockRow()])));
        }
        return out.iterator();
      }).reduceByKey(BlockedOperator::add, Math.max(1, Math.min(g.numBlocks(), jsc.defaultParallelism()))).collect();
      Matrix out = new Matrix(g.n(), p);
      for (Tuple2<Integer, Matrix> t : sums) {
        Matrix m = t._2();
        System.arraycopy(m.data(), 0, out.data(), g.blockStart(t._1()) * p, m.data().length);
      }
      return out;
    } finally {
      vb.unpersist(false);
    }
  }

  private static Matrix add(Matrix a, Matrix b) {
    double[] out = a.data().clone();
    double[] y = b.data();
    for (int k = 0; k < out.length; k++) {
      out[k] += y[k];
    }
    return new Matrix(a.rows(), a.cols(), out);
  }
}
