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
import org.ntkstudy.math.Malleability;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;

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

  /** model → attack → intervention → each figure's mean and interval over seeds (SCIENCE §5). */
  public Map<String, Map<String, Map<String, MalleabilityFigures>>> summary() {
    Map<String, Map<String, Map<String, MalleabilityFigures>>> out = new LinkedHashMap<>();
    for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> g : groups().entrySet()) {
      List<MalleabilityRow> seeds = g.getValue();
      MalleabilityFigures figures = new MalleabilityFigures(
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::flipRate).toArray()),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::spearman).toArray()),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::topkOverlap).toArray()),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::controlRandom).toArray()),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::controlNoiseFloor).toArray()));
      MalleabilityRow.Key key = g.getKey();
      out.computeIfAbsent(key.model(), x -> new LinkedHashMap<>())
          .computeIfAbsent(key.attack(), x -> new LinkedHashMap<>())
          .put(key.intervention(), figures);
    }
    return out;
  }

  /**
   * attack → intervention → the attn/relu ratio of mean flip rates with its percentile bootstrap
   * interval ({@code bootstrap} draws seeded by {@code seed}, SCIENCE §5); null figures with a note
   * when relu's mean flip rate is 0.
   */
  public Map<String, Map<String, FlipRateRatio>> ratio(int bootstrap, long seed) {
    Map<String, Map<String, FlipRateRatio>> out = new LinkedHashMap<>();
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
      out.computeIfAbsent(key.attack(), x -> new LinkedHashMap<>()).put(key.intervention(), ri == null
          ? FlipRateRatio.none(num.length, den.length)
          : new FlipRateRatio(ri.mean(), ri.lo(), ri.hi(), num.length, den.length, null));
    }
    return out;
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
