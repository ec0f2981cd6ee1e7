package org.ntkstudy.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.SplitMix64;

/**
 * Deterministic choice of which images of a split enter the study (SCIENCE §0, "Subsets"): the
 * class list, then {@code first} or {@code stratified} row indices, always in file order.
 */
public final class Subsets {
  private Subsets() {}

  /**
   * The class list: {@code named} in the order named, each checked to be present in {@code
   * labels}; or, when {@code named} is null ({@code all}), every label present, ascending.
   */
  public static int[] classes(int[] named, int[] labels, String source) {
    int[] present = present(labels);
    if (named == null) {
      if (present.length < 2) {
        throw new UserInputException(
            source + " has " + (present.length == 0 ? "no images" : "only class " + present[0])
                + "; a study needs at least two classes");
      }
      return present;
    }
    for (int c : named) {
      requirePresent(c, present, source);
    }
    return named.clone();
  }

  /** Errors unless class {@code c} occurs in {@code labels} (used for the test split). */
  public static void requirePresent(int[] classes, int[] labels, String source) {
    int[] present = present(labels);
    for (int c : classes) {
      requirePresent(c, present, source);
    }
  }

  private static void requirePresent(int c, int[] present, String source) {
    if (Arrays.binarySearch(present, c) < 0) {
      throw new UserInputException(
          "class " + c + " is not in " + source + "; labels present: " + ranges(present));
    }
  }

  /** The distinct labels, ascending. */
  static int[] present(int[] labels) {
    return Arrays.stream(labels).distinct().sorted().toArray();
  }

  /** "0..9" or "0, 2, 5..7": sorted labels, runs collapsed. */
  static String ranges(int[] sorted) {
    if (sorted.length == 0) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    int start = sorted[0];
    int prev = start;
    for (int k = 1; k <= sorted.length; k++) {
      if (k < sorted.length && sorted[k] == prev + 1) {
        prev = sorted[k];
        continue;
      }
      out.add(start == prev ? Integer.toString(start) : start == prev - 1 ? start + ", " + prev : start + ".." + prev);
      if (k < sorted.length) {
        start = sorted[k];
        prev = start;
      }
    }
    return String.join(", ", out);
  }

  /** Dispatches on {@code subset} ({@code first} or {@code stratified}). */
  public static int[] select(
      int[] labels, int[] classes, int n, String subset, long seed, String source) {
    switch (subset) {
      case DatasetSpec.FIRST:
        return first(labels, classes, n, source);
      case DatasetSpec.STRATIFIED:
        return stratified(labels, classes, n, seed, source);
      default:
        throw new UserInputException(
            "unknown --subset '" + subset + "': expected one of " + DatasetSpec.SUBSETS);
    }
  }

  /** The first {@code n} indices whose label is one of {@code classes}, in file order. */
  public static int[] first(int[] labels, int[] classes, int n, String source) {
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < labels.length && k < n; i++) {
      if (position(classes, labels[i]) >= 0) {
        out[k++] = i;
      }
    }
    if (k < n) {
      throw new UserInputException(
          source + " has " + k + " examples of classes " + Arrays.toString(classes)
              + ", fewer than the " + n + " asked for; lower --n (or --n-test)");
    }
    return out;
  }

  /**
   * Per class c, the {@code count(c)} indices with label c that rank lowest by SplitMix64(seed,
   * index) as an unsigned value (ties by index), where count(c) = n / k plus one for the n % k
   * lowest class labels; all of them returned in file order (ascending index).
   */
  public static int[] stratified(int[] labels, int[] classes, int n, long seed, String source) {
    int[] need = perClassCounts(classes, n);
    int k = classes.length;
    int[] available = new int[k];
    for (int label : labels) {
      int c = position(classes, label);
      if (c >= 0) {
        available[c]++;
      }
    }
    List<String> short_ = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (available[c] < need[c]) {
        short_.add("class " + classes[c] + ": " + available[c] + " available, " + need[c] + " needed");
      }
    }
    if (!short_.isEmpty()) {
      throw new UserInputException(
          source + " has too few examples for a stratified subset of " + n + " over " + k
              + " classes (" + String.join("; ", short_) + "); lower --n (or --n-test)");
    }
    // Index lists per class, then sorted by the generator's value: ranks do not depend on how
    // many other images the file holds, only on each image's own index.
    long[][] keys = new long[k][];
    int[][] idx = new int[k][];
    int[] fill = new int[k];
    for (int c = 0; c < k; c++) {
      keys[c] = new long[available[c]];
      idx[c] = new int[available[c]];
    }
    for (int i = 0; i < labels.length; i++) {
      int c = position(classes, labels[i]);
      if (c >= 0) {
        keys[c][fill[c]] = SplitMix64.at(seed, i);
        idx[c][fill[c]] = i;
        fill[c]++;
      }
    }
    int[] out = new int[n];
    int o = 0;
    for (int c = 0; c < k; c++) {
      Integer[] order = new Integer[available[c]];
      for (int j = 0; j < order.length; j++) {
        order[j] = j;
      }
      long[] key = keys[c];
      int[] index = idx[c];
      Arrays.sort(
          order,
          (a, b) -> {
            int cmp = Long.compareUnsigned(key[a], key[b]);
            return cmp != 0 ? cmp : Integer.compare(index[a], index[b]);
          });
      for (int j = 0; j < need[c]; j++) {
        out[o++] = index[order[j]];
      }
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * n / k per class, the remainder n % k one each to the classes with the lowest label values
   * (not the first named), indexed like {@code classes}.
   */
  public static int[] perClassCounts(int[] classes, int n) {
    int k = classes.length;
    int[] need = new int[k];
    TreeSet<Integer> lowest = new TreeSet<>();
    for (int c : classes) {
      lowest.add(c);
    }
    int[] sorted = lowest.stream().mapToInt(Integer::intValue).toArray();
    for (int c = 0; c < k; c++) {
      need[c] = n / k;
      int rank = Arrays.binarySearch(sorted, classes[c]);
      if (rank < n % k) {
        need[c]++;
      }
    }
    return need;
  }

  /** Position of {@code label} in {@code classes}, or -1. */
  static int position(int[] classes, int label) {
    for (int c = 0; c < classes.length; c++) {
      if (classes[c] == label) {
        return c;
      }
    }
    return -1;
  }
}
