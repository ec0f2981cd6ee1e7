package org.ntkstudy.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntkstudy.io.RunOutput;

/**
 * The one serializer of the result records ({@code summary.json} files): Jackson over the records'
 * annotations, pretty-printed exactly as {@link org.ntkstudy.io.Json} prints a map tree, every
 * non-finite number written as JSON null (and read back as null), and a map or record component
 * marked {@link Inline} written as top-level keys at its place in the key order.
 */
public final class ResultJson {
  /**
   * Marks a {@code Map<String, ?>} or record component whose entries (or components) are written as
   * keys of the enclosing object, at the component's position (e.g. spectrum's {@code kappa_<k>_<M>}
   * family, the influence dual table's verdict); when reading, every key that is not another
   * component's goes into it. A record component that is null writes no keys, and reads back as null
   * when none of its keys is there. At most one per record.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  public @interface Inline {}

  /** Writes a double as JSON null when it is NaN or ±Infinity (which are not JSON). */
  private static final class FiniteDoubleSerializer extends StdSerializer<Double> {
    FiniteDoubleSerializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (Double.isFinite(value)) {
        gen.writeNumber(value.doubleValue());
      } else {
        gen.writeNull();
      }
    }
  }

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      // Untyped numbers (provenance's config) read as Long and Double, as ProvenanceRecord keeps them.
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .addModule(new SimpleModule("finite-doubles")
          .addSerializer(Double.class, new FiniteDoubleSerializer())
          .addSerializer(Double.TYPE, new FiniteDoubleSerializer()))
      .build();

  private ResultJson() {}

  /** The pretty-printed JSON of a result record (no trailing newline, like {@code Json.write}). */
  public static String write(Object result) {
    try {
      return MAPPER.writeValueAsString(tree(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + result.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Writes the record as {@code summary.json} of a job's output folder (with the final newline {@code io/Json} files have). */
  public static void writeSummary(RunOutput output, Object result) {
    output.writeText(Results.SUMMARY, write(result) + "\n");
  }

  /** Reads a result record of {@code type} from JSON written by {@link #write} (or the earlier map writer). */
  public static <T> T read(String json, Class<T> type) {
    try {
      JsonNode node = MAPPER.readTree(json);
      gather(node, type);
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + " summary: " + e.getOriginalMessage(), e);
    }
  }

  /** The record as a tree of maps, lists and values, in the JSON key order (for map-based readers). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(Object result) {
    return MAPPER.convertValue(tree(result), LinkedHashMap.class);
  }

  /** The record's JSON tree with its {@link Inline} maps spread into their parents. */
  private static JsonNode tree(Object result) {
    JsonNode node = MAPPER.valueToTree(result);
    spread(node, result.getClass());
    return node;
  }

  /** Writing: replaces each inline component's object by its entries, in place. */
  private static void spread(JsonNode node, Class<?> type) {
    if (!(node instanceof ObjectNode obj) || !type.isRecord()) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getType().isRecord()) {
        spread(obj.get(jsonName(c)), c.getType());
      }
    }
    RecordComponent inline = inlineComponent(type);
    if (inline == null) {
      return;
    }
    String name = jsonName(inline);
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    obj.fields().forEachRemaining(entries::add);
    obj.removeAll();
    for (Map.Entry<String, JsonNode> e : entries) {
      if (!e.getKey().equals(name)) {
        obj.set(e.getKey(), e.getValue());
      } else if (e.getValue().isObject()) {
        e.getValue().fields().forEachRemaining(f -> obj.set(f.getKey(), f.getValue()));
      }
    }
  }

  /** Reading: moves every key that is no component's into the inline component's object. */
  private static void gather(JsonNode node, Class<?> type) {
    if (!(node instanceof ObjectNode obj) || !type.isRecord()) {
      return;
    }
    Set<String> declared = new HashSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      declared.add(jsonName(c));
      if (c.getType().isRecord()) {
        gather(obj.get(jsonName(c)), c.getType());
      }
    }
    RecordComponent inline = inlineComponent(type);
    if (inline == null) {
      return;
    }
    ObjectNode spread = obj.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!declared.contains(e.getKey())) {
        spread.set(e.getKey(), e.getValue());
        it.remove();
      }
    }
    if (inline.getType().isRecord()) {
      if (spread.isEmpty()) {
        return; // an absent record: the component reads as null
      }
      gather(spread, inline.getType());
    }
    obj.set(jsonName(inline), spread);
  }

  private static RecordComponent inlineComponent(Class<?> type) {
    RecordComponent found = null;
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.isAnnotationPresent(Inline.class) || c.getAccessor().isAnnotationPresent(Inline.class)) {
        if (found != null) {
          throw new IllegalStateException(type.getSimpleName() + " has two @Inline components");
        }
        found = c;
      }
    }
    return found;
  }

  private static String jsonName(RecordComponent c) {
    JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
    return p != null && !p.value().isEmpty() ? p.value() : c.getName();
  }

  // ---- helpers the records' canonical constructors share ----

  /** The value, or null when it is null, NaN or ±Infinity (what the JSON will say). */
  public static Double finite(Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }

  /** A double as a boxed value, null when not finite. */
  public static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** An unmodifiable copy with every non-finite element null; null stays null (an absent key). */
  public static List<Double> finite(List<Double> values) {
    if (values == null) {
      return null;
    }
    List<Double> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(finite(v)));
    return Collections.unmodifiableList(out);
  }

  /** {@link #finite(List)} of an array. */
  public static List<Double> finiteList(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(finite(v));
    }
    return Collections.unmodifiableList(out);
  }

  /** An unmodifiable insertion-ordered copy (records keep the order the JSON has). */
  public static <K, V> Map<K, V> ordered(Map<K, V> m) {
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
