package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.spark.InfluenceColumns;
import org.ntkstudy.spark.TiledKernelInfluence;

/**
 * A malleability cell's recomputations past the driver budget (SCIENCE §5 steps 2–3), driven from
 * the driver: the attacks in tasks over chunks of examples, then the kernel of the perturbed data,
 * its tiled factorisation and the influence totals across the executors.
 */
final class TiledCellEngine implements InfluenceWork.Engine {
  private final JavaSparkContext jsc;
  private final Broadcast<InfluenceWork.Setup> setup;
  private final double lambda;
  private final int tile;
  private final String tag;

  TiledCellEngine(JavaSparkContext jsc, Broadcast<InfluenceWork.Setup> setup, double lambda, int tile, String tag) {
    this.jsc = jsc;
    this.setup = setup;
    this.lambda = lambda;
    this.tile = tile;
    this.tag = tag;
  }

  @Override
  public Matrix perturbed(InfluenceWork.Setup s, InfluenceWork.Net net, int[] examples, Attacks.Kind attack,
      Attacks.Params params, long seed) {
    if (attack == null) {
      return InfluenceWork.perturbed(s, net, examples, null, params, seed); // random signs: no gradient
    }
    int chunks = Math.max(1, Math.min(examples.length, 4 * jsc.defaultParallelism()));
    List<int[]> parts = new ArrayList<>();
    for (int q = 0; q < chunks; q++) {
      parts.add(Arrays.copyOfRange(examples, (int) ((long) q * examples.length / chunks),
          (int) ((long) (q + 1) * examples.length / chunks)));
    }
    Broadcast<InfluenceWork.Setup> su = setup;
    List<Matrix> rows = jsc.parallelize(parts, chunks)
        .map(ex -> InfluenceWork.perturbedRows(su.value(), net, ex, attack, params, seed)).collect();
    Matrix p = s.pixels.copy();
    int d = p.cols();
    for (int q = 0; q < chunks; q++) {
      int[] ex = parts.get(q);
      Matrix m = rows.get(q);
      for (int r = 0; r < ex.length; r++) {
        System.arraycopy(m.data(), r * d, p.data(), ex[r] * d, d);
      }
    }
    return p;
  }

  @Override
  public double[] totals(InfluenceWork.Setup s, Matrix trainPixels, int[] keep, Matrix w, Influence.TargetSpec spec) {
    Matrix p = keep == null ? trainPixels : trainPixels.selectRows(keep);
    Matrix y = keep == null ? s.y : s.y.selectRows(keep);
    Matrix[] z = InfluenceWork.modelInputs(s, p);
    TiledKernelInfluence t = TiledKernelInfluence.of(jsc, z[0], z[1], y, s.empirical ? w : null, lambda, tile, tag,
        false);
    InfluenceColumns cols = InfluenceColumns.tiled(t.influence(), spec);
    try {
      return cols.totals();
    } finally {
      cols.release();
    }
  }
}
