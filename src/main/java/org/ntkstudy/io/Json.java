package org.ntkstudy.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the project's small JSON files (summaries, manifests). Every non-finite number becomes
 * JSON null: a figure that does not exist is null, never Infinity or NaN (which are not JSON).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private Json() {}

  /** Pretty-printed JSON of a tree of maps, lists, strings, numbers, booleans and nulls. */
  public static String write(Object tree) {
    try {
      return MAPPER.writeValueAsString(sanitize(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** JSON of a tree on one line, with the same null rule (fingerprints compare these texts). */
  public static String compact(Object tree) {
    try {
      return COMPACT.writeValueAsString(sanitize(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Parses JSON into maps and lists (for tests and for reading a run's outputs back). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, LinkedHashMap.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A copy of {@code tree} with NaN and ±Infinity replaced by null, recursively. */
  static Object sanitize(Object tree) {
    if (tree instanceof Double d) {
      return Double.isFinite(d) ? d : null;
    }
    if (tree instanceof Float f) {
      return Float.isFinite(f) ? f : null;
    }
    if (tree instanceof double[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (double v : a) {
        out.add(sanitize(v));
      }
      return out;
    }
    if (tree instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sanitize(v)));
      return out;
    }
    if (tree instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(sanitize(v)));
      return out;
    }
    return tree;
  }
}
