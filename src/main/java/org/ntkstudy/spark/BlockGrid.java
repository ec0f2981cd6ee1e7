package org.ntkstudy.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid of an n×n symmetric matrix cut into square blocks of side {@code blockSize} (the last
 * one smaller): block i covers rows [i·b, min((i+1)·b, n)). Symmetric matrices are computed as
 * the upper-triangle block pairs (i ≤ j) only, one task each (the lesson of MLlib's BlockMatrix,
 * without its shuffle).
 */
public record BlockGrid(int n, int blockSize) implements Serializable {
  /** Bytes of one double. */
  private static final long DOUBLE_BYTES = 8L;

  public BlockGrid {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, got " + n);
    }
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, got " + blockSize);
    }
  }

  /**
   * A block size for rows of dimension d: the largest b ≤ 1024 (a multiple of 64) whose block
   * pair (two b×d row blocks and one b×b result) fits in {@code taskBytes}; 512–1024 is where the
   * measured DGEMM rate peaks at d ≈ 784 (NOTES-spark-blas). Never larger than n.
   */
  public static int defaultBlockSize(int n, int d, long taskBytes) {
    int b = 1024;
    while (b > 64 && DOUBLE_BYTES * ((long) b * b + 2L * b * d) > taskBytes) {
      b /= 2;
    }
    return Math.max(1, Math.min(b, n));
  }

  public int numBlocks() {
    return (int) ((n + (long) blockSize - 1) / blockSize);
  }

  public int blockStart(int i) {
    checkBlock(i);
    return i * blockSize;
  }

  public int blockRows(int i) {
    checkBlock(i);
    return Math.min(blockSize, n - i * blockSize);
  }

  /** Number of upper-triangle block pairs, nb(nb+1)/2. */
  public long numPairs() {
    long nb = numBlocks();
    return nb * (nb + 1) / 2;
  }

  /** The upper-triangle pairs (i ≤ j), row by row: the order tasks and files follow. */
  public List<BlockPair> pairs() {
    int nb = numBlocks();
    List<BlockPair> out = new ArrayList<>((int) numPairs());
    for (int i = 0; i < nb; i++) {
      for (int j = i; j < nb; j++) {
        out.add(new BlockPair(i, j));
      }
    }
    return out;
  }

  /** Bytes of the whole n×n matrix as doubles. */
  public long denseBytes() {
    return DOUBLE_BYTES * n * (long) n;
  }

  /** Bytes of the upper-triangle blocks as doubles (what the blocked form stores). */
  public long upperTriangleBytes() {
    long total = 0;
    int nb = numBlocks();
    for (int i = 0; i < nb; i++) {
      for (int j = i; j < nb; j++) {
        total += DOUBLE_BYTES * blockRows(i) * (long) blockRows(j);
      }
    }
    return total;
  }

  private void checkBlock(int i) {
    if (i < 0 || i >= numBlocks()) {
      throw new IndexOutOfBoundsException("block " + i + " of " + numBlocks());
    }
  }

  /** One upper-triangle block pair (i ≤ j). */
  public record BlockPair(int i, int j) implements Serializable {
    public BlockPair {
      if (i < 0 || j < i) {
        throw new IllegalArgumentException("not an upper-triangle pair: (" + i + ", " + j + ")");
      }
    }
  }
}
