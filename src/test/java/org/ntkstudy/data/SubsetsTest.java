package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ntkstudy.UserInputException;

class SubsetsTest {

  static final int[] LABELS = {3, 1, 0, 3, 8, 3, 8, 1, 0, 8, 3, 5};

  @Test
  void allIsEveryLabelPresentAscending() {
    assertArrayEquals(new int[] {0, 1, 3, 5, 8}, Subsets.classes(null, LABELS, "src"));
  }

  @Test
  void namedClassesKeepTheirOrder() {
    assertArrayEquals(new int[] {8, 3}, Subsets.classes(new int[] {8, 3}, LABELS, "src"));
  }

  @Test
  void absentClassIsRejectedWithLabelsPresent() {
    int[] digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
    UserInputException e =
        assertThrows(
            UserInputException.class, () -> Subsets.classes(new int[] {3, 11}, digits, "train.idx"));
    assertEquals("class 11 is not in train.idx; labels present: 0..9", e.getMessage());
    assertEquals("0, 1, 3, 5..7, 9", Subsets.ranges(new int[] {0, 1, 3, 5, 6, 7, 9}));
  }

  @Test
  void singleClassDataIsRejectedForAll() {
    assertThrows(UserInputException.class, () -> Subsets.classes(null, new int[] {4, 4}, "s"));
  }

  @Test
  void firstTakesTheFirstNOfTheClassesInFileOrder() {
    assertArrayEquals(new int[] {0, 3, 4}, Subsets.first(LABELS, new int[] {8, 3}, 3, "s"));
    assertArrayEquals(
        new int[] {0, 3, 4, 5, 6, 9}, Subsets.first(LABELS, new int[] {3, 8}, 6, "s"));
  }

  @Test
  void firstSaysHowManyAreAvailable() {
    UserInputException e =
        assertThrows(
            UserInputException.class, () -> Subsets.first(LABELS, new int[] {0, 5}, 4, "tbl"));
    assertTrue(e.getMessage().contains("tbl has 3 examples"), e.getMessage());
    assertTrue(e.getMessage().contains("4 asked for"), e.getMessage());
  }

  @Test
  void remainderGoesToLowestLabelsNotFirstNamed() {
    assertArrayEquals(new int[] {2, 3}, Subsets.perClassCounts(new int[] {8, 3}, 5));
    assertArrayEquals(new int[] {2, 3, 3}, Subsets.perClassCounts(new int[] {3, 1, 2}, 8));
    int[] ten = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 2, 2, 2}, Subsets.perClassCounts(ten, 13));
  }

  /** Expected from splitmix64_expected.py (independent of the Java ranking). */
  @Test
  void stratifiedMatchesPythonReference() {
    int[] labels = new int[40];
    for (int i = 0; i < 40; i++) {
      labels[i] = (7 * i) % 4;
    }
    int[] got = Subsets.stratified(labels, new int[] {3, 1, 2}, 8, 2024, "s");
    assertArrayEquals(new int[] {1, 3, 6, 14, 23, 29, 31, 34}, got);
  }

  @Test
  void stratifiedIsBalancedInFileOrderDeterministicAndSeedDependent() {
    int[] labels = new int[300];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i * 31 + i / 7) % 5;
    }
    int[] classes = {4, 0, 2};
    int[] a = Subsets.stratified(labels, classes, 20, 11, "s");
    int[] b = Subsets.stratified(labels, classes, 20, 11, "s");
    int[] c = Subsets.stratified(labels, classes, 20, 12, "s");
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, a);
    assertEquals(20, Arrays.stream(a).distinct().count());
    int[] perLabel = new int[5];
    for (int i : a) {
      perLabel[labels[i]]++;
    }
    // 20 / 3 = 6 each, remainder 2 to the lowest labels 0 and 2.
    assertArrayEquals(new int[] {7, 0, 7, 0, 6}, perLabel);
    assertArrayEquals(a, Subsets.select(labels, classes, 20, "stratified", 11, "s"));
  }

  @Test
  void stratifiedSaysWhichClassesAreShort() {
    UserInputException e =
        assertThrows(
            UserInputException.class,
            () -> Subsets.stratified(LABELS, new int[] {0, 1, 3}, 9, 1, "tbl"));
    String m = e.getMessage();
    assertTrue(m.contains("class 0: 2 available, 3 needed"), m);
    assertTrue(m.contains("class 1: 2 available, 3 needed"), m);
    assertFalse(m.contains("class 3:"), m);
  }
}
