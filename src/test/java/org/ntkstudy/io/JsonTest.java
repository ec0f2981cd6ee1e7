package org.ntkstudy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void nonFiniteNumbersBecomeNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inf", Double.POSITIVE_INFINITY);
    m.put("nan", Double.NaN);
    m.put("ok", 2.5);
    m.put("nested", Map.of("x", Double.NEGATIVE_INFINITY));
    m.put("list", List.of(1.0, Double.NaN));
    String json = Json.write(m);
    assertFalse(json.contains("Infinity") || json.contains("NaN"), json);
    Map<String, Object> back = Json.read(json);
    assertNull(back.get("inf"));
    assertNull(back.get("nan"));
    assertEquals(2.5, back.get("ok"));
    assertEquals(java.util.Arrays.asList(1.0, null), back.get("list"));
  }
}
