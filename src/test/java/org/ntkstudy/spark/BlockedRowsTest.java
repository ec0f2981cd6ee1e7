package org.ntkstudy.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.testing.SparkTestSession;

/** Blocked (distributed) results equal the local ones: the first test of every blocked piece. */
class BlockedRowsTest {
  static Matrix randomRows(int n, int d, long seed) {
    Random r = new Random(seed);
    Matrix x = new Matrix(n, d);
    for (int k = 0; k < x.data().length; k++) {
      x.data()[k] = r.nextDouble();
    }
    return x;
  }

  @ParameterizedTest(name = "n={0} d={1} block={2} partitions={3}")
  @CsvSource({
    "50, 13, 7, 0",
    "50, 13, 7, 1",
    "50, 13, 16, 3",
    "50, 13, 50, 0",
    "97, 31, 32, 5",
    "10, 40, 3, 2"
  })
  void blockedGramEqualsLocalProduct(int n, int d, int block, int partitions) {
    Matrix x = randomRows(n, d, n * 31L + block);
    Matrix local = Blas.multiplyTransposed(x, x);
    BlockedRows rows = BlockedRows.broadcast(SparkTestSession.jsc(), x, block);
    Matrix g = BlockStore.collectSymmetric(rows.symmetricBlocks(BlockKernel.linear(), partitions), rows.grid(), 1L << 30);
    rows.release();
    assertTrue(g.maxAbsDiff(local) <= 1e-12, "max diff " + g.maxAbsDiff(local));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(g.get(i, j), g.get(j, i), 0.0, "exactly symmetric");
      }
    }
  }

  @ParameterizedTest(name = "n={0} block={1}")
  @CsvSource({"50, 7", "50, 50", "97, 10", "200, 16"})
  void gramianEqualsLocalAndIsDeterministic(int n, int block) {
    Matrix x = randomRows(n, 11, n + block);
    Matrix local = new Matrix(11, 11);
    Blas.addGramian(x, local.data());
    BlockedRows rows = BlockedRows.broadcast(SparkTestSession.jsc(), x, block);
    Matrix c1 = rows.gramian();
    Matrix c2 = rows.gramian();
    rows.release();
    assertTrue(c1.maxAbsDiff(local) <= 1e-12, "max diff " + c1.maxAbsDiff(local));
    assertArrayEquals(c1.data(), c2.data(), 0.0, "bit-identical on a second run");
  }

  @Test
  void mapRowsKeepsRowOrder() {
    Matrix x = randomRows(23, 5, 3);
    BlockedRows rows = BlockedRows.broadcast(SparkTestSession.jsc(), x, 4);
    Matrix y = rows.mapRows(b -> b.rows());
    rows.release();
    assertArrayEquals(x.data(), y.data(), 0.0);
  }

  @Test
  void blocksRoundTripThroughParquet(@TempDir Path dir) throws Exception {
    Matrix x = randomRows(37, 9, 5);
    BlockedRows rows = BlockedRows.broadcast(SparkTestSession.jsc(), x, 8);
    String uri = dir.resolve("g.parquet").toUri().toString();
    BlockStore.write(SparkTestSession.get(), rows.symmetricBlocks(BlockKernel.linear(), 0), uri);
    assertTrue(Files.isDirectory(dir.resolve("g.parquet")));
    List<MatrixBlock> back = BlockStore.read(SparkTestSession.get(), uri).collect();
    assertEquals(rows.grid().numPairs(), back.size());
    Matrix g = BlockStore.assembleSymmetric(back, rows.grid());
    rows.release();
    assertArrayEquals(Blas.multiplyTransposed(x, x).data(), g.data(), 1e-12);
  }

  @Test
  void refusesToCollectAboveTheDriverBudget() {
    BlockGrid grid = new BlockGrid(1000, 100);
    var e = assertThrows(UserInputException.class, () -> BlockStore.requireFits(grid, 1000));
    assertTrue(e.getMessage().contains("--max-driver-mb"), e.getMessage());
  }

  @Test
  void gridCoversTheUpperTriangleOnce() {
    BlockGrid grid = new BlockGrid(10, 3);
    assertEquals(4, grid.numBlocks());
    assertEquals(1, grid.blockRows(3));
    assertEquals(10, grid.numPairs());
    assertEquals(grid.numPairs(), grid.pairs().size());
    long covered = 0;
    for (var p : grid.pairs()) {
      covered += (long) grid.blockRows(p.i()) * grid.blockRows(p.j()) * (p.i() == p.j() ? 1 : 2);
    }
    assertEquals(100, covered);
    // blocks of 3, 3, 3, 1 rows: six 3x3 pairs, three 3x1, one 1x1
    assertEquals(8L * (6 * 9 + 3 * 3 + 1), grid.upperTriangleBytes());
  }

  @Test
  void defaultBlockFitsTheTaskMemory() {
    assertEquals(1024, BlockGrid.defaultBlockSize(100_000, 784, 1L << 30));
    int b = BlockGrid.defaultBlockSize(100_000, 784, 16L << 20);
    assertTrue(8L * ((long) b * b + 2L * b * 784) <= (16L << 20), "block " + b);
    assertEquals(30, BlockGrid.defaultBlockSize(30, 784, 1L << 30));
  }
}
