package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.WidthSweepJob;
import org.ntkstudy.math.Malleability;

/**
 * The malleability cells' rows (SCIENCE §5) and what the summary says of them: each figure's mean
 * and interval over seeds per (model, attack, intervention), the attn/relu flip-rate ratio with its
 * bootstrap interval, and the tables {@code malleability.parquet} and {@code malleability.csv}.
 */
public record MalleabilityTable(List<MalleabilityRow> rows) {

  public MalleabilityTable {
    rows = List.copyOf(rows);
  }

  /** (model, attack, intervention) → rows, in first-seen order. */
  Map<MalleabilityRow.Key, List<MalleabilityRow>> groups() {
    Map<MalleabilityRow.Key, List<MalleabilityRow>> g = new LinkedHashMap<>();
    for (MalleabilityRow r : rows) {
      g.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(r);
    }
    return g;
  }

  /** model → attack → intervention → figure → mean and interval over seeds. */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> g : groups().entrySet()) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (int m = 0; m < MalleabilityRow.METRICS.size(); m++) {
        int col = m;
        metrics.put(MalleabilityRow.METRICS.get(m), WidthSweepJob.interval(g.getValue().stream()
            .mapToDouble(r -> r.metric(col)).toArray()));
      }
      MalleabilityRow.Key key = g.getKey();
      nested(nested(out, key.model()), key.attack()).put(key.intervention(), metrics);
    }
    return out;
  }

  /**
   * attack → intervention → the attn/relu ratio of mean flip rates with its percentile bootstrap
   * interval ({@code bootstrap} draws seeded by {@code seed}, SCIENCE §5); null figures with a note
   * when relu's mean flip rate is 0.
   */
  public Map<String, Object> ratio(int bootstrap, long seed) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<MalleabilityRow.Key, List<MalleabilityRow>> g = groups();
    for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> e : g.entrySet()) {
      MalleabilityRow.Key key = e.getKey();
      if (!key.model().equals("attn")) {
        continue;
      }
      List<MalleabilityRow> relu = g.get(new MalleabilityRow.Key("relu", key.attack(), key.intervention()));
      if (relu == null) {
        continue;
      }
      double[] num = e.getValue().stream().mapToDouble(MalleabilityRow::flipRate).toArray();
      double[] den = relu.stream().mapToDouble(MalleabilityRow::flipRate).toArray();
      Malleability.RatioInterval ri = Malleability.ratio(num, den, bootstrap, seed);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("mean", ri == null ? null : ri.mean());
      v.put("lo", ri == null ? null : ri.lo());
      v.put("hi", ri == null ? null : ri.hi());
      v.put("seeds_attn", num.length);
      v.put("seeds_relu", den.length);
      if (ri == null) {
        v.put("note", "relu's mean flip rate is 0: the ratio does not exist");
      }
      nested(out, key.attack()).put(key.intervention(), v);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.computeIfAbsent(key, x -> new LinkedHashMap<String, Object>());
  }

  /** The paper's flip rates at ε = 0.3 (SCIENCE §5), in percent, for the report to show beside ours. */
  public static Map<String, Object> paperFlipRates() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("source", "arXiv 2603.13085, eps = 0.3, percent; FGSM / PGD / MIM (SCIENCE 5)");
    p.put("mnist_10class", Map.of("relu", List.of(4.1, 3.3, 3.4), "attn", List.of(34.6, 28.9, 21.9)));
    p.put("cifar10_10class", Map.of("relu", List.of(3.3, 3.1, 3.2), "attn", List.of(26.4, 19.1, 20.5)));
    p.put("mnist_3_vs_8", Map.of("relu", List.of(8.4, 8.4, 8.6), "attn", List.of(25.9, 41.0, 40.5)));
    p.put("attacks", List.of("fgsm", "pgd", "mim"));
    return p;
  }

  /** Writes {@code malleability.parquet} (one file) and {@code malleability.csv}. */
  public void write(SparkSession spark, RunOutput output) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("attack", DataTypes.StringType, false)
        .add("intervention", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false);
    for (String m : MalleabilityRow.METRICS) {
      schema = schema.add(m, DataTypes.DoubleType, true);
    }
    List<Row> out = new ArrayList<>();
    StringBuilder csv = new StringBuilder("model,attack,intervention,seed," + String.join(",", MalleabilityRow.METRICS)
        + "\n");
    for (MalleabilityRow r : rows) {
      List<Object> v = r.values();
      out.add(RowFactory.create(v.toArray()));
      for (int i = 0; i < v.size(); i++) {
        csv.append(i > 0 ? "," : "").append(v.get(i) == null ? "" : v.get(i));
      }
      csv.append('\n');
    }
    spark.createDataFrame(out, schema).coalesce(1).write().mode("overwrite").parquet(output.uri("malleability.parquet"));
    output.writeText("malleability.csv", csv.toString());
  }
}
