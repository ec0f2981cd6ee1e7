package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Matrix;

class TaskTest {

  @Test
  void twoClassesAreBinaryWithPlusOneForTheFirstNamed() {
    assertEquals(Task.BINARY, Task.of(2));
    Matrix y = Task.BINARY.targets(new int[] {0, 1, 1, 0}, 2);
    assertEquals(4, y.rows());
    assertEquals(1, y.cols());
    assertArrayEquals(new double[] {1, -1, -1, 1}, y.data(), 0.0);
  }

  @Test
  void moreClassesAreOneHot() {
    assertEquals(Task.MULTICLASS, Task.of(3));
    Matrix y = Task.MULTICLASS.targets(new int[] {2, 0}, 3);
    assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, y.data(), 0.0);
    assertEquals(10, Task.MULTICLASS.outputs(10));
    assertEquals(1, Task.BINARY.outputs(2));
  }

  @Test
  void oneClassIsNotATask() {
    assertThrows(IllegalArgumentException.class, () -> Task.of(1));
    assertThrows(IllegalArgumentException.class, () -> Task.BINARY.targets(new int[] {2}, 2));
  }
}
