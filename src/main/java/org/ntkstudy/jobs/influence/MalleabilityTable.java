package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.FlipBootstrap;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.results.RadiusFigures;

/**
 * The malleability cells' rows (SCIENCE §5) and what the summary says of them — per (model, attack,
 * intervention, radius) each figure with its interval, the flip rate, the random-sign control, the
 * noise floor and the excess E = flip rate − control with §5's paired two-level percentile
 * bootstrap ({@link FlipBootstrap}), Spearman and the overlap with their seed t-intervals; the
 * attn/relu ratios of flip rates and of excesses — and the tables {@code malleability.parquet} and
 * {@code malleability.csv}.
 *
 * <p>Radii are taken in the order the rows first name them (the job's {@code --attack-eps} order);
 * the first is the radius of the summary's top-level keys. {@code curated} rows have no radius (NaN).
 */
public record MalleabilityTable(List<MalleabilityRow> rows) {

  public MalleabilityTable {
    rows = List.copyOf(rows);
  }

  /**
   * What the summary says of the cells.
   *
   * @param malleability model → attack → intervention → figures at the first radius, with curated
   * @param ratio attack → intervention → attn/relu ratio of flip rates at the first radius, with curated
   * @param excessRatio attack → intervention → attn/relu ratio of excesses at the first radius
   * @param byRadius every radius's figures ({@link InfluenceResult#radiusKey} → figures), in order
   */
  public record Summary(Map<String, Map<String, Map<String, MalleabilityFigures>>> malleability,
      Map<String, Map<String, FlipRateRatio>> ratio, Map<String, Map<String, FlipRateRatio>> excessRatio,
      Map<String, RadiusFigures> byRadius) {}

  /** (model, attack, intervention, radius) → rows in seed order, the keys in first-seen order. */
  Map<MalleabilityRow.Key, List<MalleabilityRow>> groups() {
    Map<MalleabilityRow.Key, List<MalleabilityRow>> g = new LinkedHashMap<>();
    for (MalleabilityRow r : rows) {
      g.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(r);
    }
    g.values().forEach(l -> l.sort(Comparator.comparingLong(MalleabilityRow::seed)));
    return g;
  }

  /** The radii of the attacked rows, in first-seen order. */
  public List<Double> radii() {
    List<Double> out = new ArrayList<>();
    for (MalleabilityRow r : rows) {
      if (!Double.isNaN(r.eps()) && !out.contains(r.eps())) {
        out.add(r.eps());
      }
    }
    return out;
  }

  /**
   * The summary's figures, every interval of a rate or an excess from {@code draws} bootstrap draws
   * seeded by {@code seed} (SCIENCE §5). Where both relu and attn have a cell, one bootstrap gives
   * both models' figures and both ratios (the same seed indices for both); a model alone, or the
   * noise floor, is bootstrapped by itself (its outcomes on both sides of {@link FlipBootstrap}).
   */
  public Summary summary(int draws, long seed) {
    Map<MalleabilityRow.Key, List<MalleabilityRow>> groups = groups();
    Map<MalleabilityRow.Key, MalleabilityFigures> figures = new LinkedHashMap<>();
    Map<MalleabilityRow.Key, FlipBootstrap.Result> pairs = new LinkedHashMap<>();
    for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> e : groups.entrySet()) {
      MalleabilityRow.Key key = e.getKey();
      List<MalleabilityRow> seeds = e.getValue();
      String other = key.model().equals("relu") ? "attn" : key.model().equals("attn") ? "relu" : null;
      List<MalleabilityRow> partner = other == null ? null
          : groups.get(new MalleabilityRow.Key(other, key.attack(), key.intervention(), key.eps()));
      FlipBootstrap.ModelFigures f;
      if (partner != null) {
        MalleabilityRow.Key reluKey = key.model().equals("relu") ? key
            : new MalleabilityRow.Key("relu", key.attack(), key.intervention(), key.eps());
        FlipBootstrap.Result r = pairs.computeIfAbsent(reluKey, x -> {
          List<MalleabilityRow> relu = key.model().equals("relu") ? seeds : partner;
          List<MalleabilityRow> attn = key.model().equals("relu") ? partner : seeds;
          checkPaired(relu, attn, key);
          return FlipBootstrap.compute(outcomes(relu), outcomes(attn), draws, seed);
        });
        f = key.model().equals("relu") ? r.relu() : r.attn();
      } else {
        FlipBootstrap.Outcomes o = outcomes(seeds);
        f = FlipBootstrap.compute(o, o, draws, seed).relu();
      }
      boolean attacked = seeds.get(0).attacked();
      int s = seeds.size();
      Interval none = new Interval(null, null, null, 0);
      figures.put(key, new MalleabilityFigures(interval(f.flipRate(), s),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::spearman).toArray()),
          Interval.of(seeds.stream().mapToDouble(MalleabilityRow::topkOverlap).toArray()),
          attacked ? interval(f.controlRate(), s) : none, noiseFloor(seeds, draws, seed),
          attacked ? interval(f.excess(), s) : none));
    }

    List<Double> radii = radii();
    Double first = radii.isEmpty() ? null : radii.get(0);
    Map<String, Map<String, Map<String, MalleabilityFigures>>> top = new LinkedHashMap<>();
    Map<String, Map<String, FlipRateRatio>> topRatio = new LinkedHashMap<>();
    Map<String, Map<String, FlipRateRatio>> topExcess = new LinkedHashMap<>();
    Map<Double, Map<String, Map<String, Map<String, MalleabilityFigures>>>> mall = new LinkedHashMap<>();
    Map<Double, Map<String, Map<String, FlipRateRatio>>> flipRatios = new LinkedHashMap<>();
    Map<Double, Map<String, Map<String, FlipRateRatio>>> excessRatios = new LinkedHashMap<>();
    for (Double eps : radii) {
      mall.put(eps, new LinkedHashMap<>());
      flipRatios.put(eps, new LinkedHashMap<>());
      excessRatios.put(eps, new LinkedHashMap<>());
    }
    for (Map.Entry<MalleabilityRow.Key, MalleabilityFigures> e : figures.entrySet()) {
      MalleabilityRow.Key key = e.getKey();
      boolean curated = Double.isNaN(key.eps());
      if (curated || key.eps() == first) {
        put(top, key, e.getValue());
      }
      if (!curated) {
        put(mall.get(key.eps()), key, e.getValue());
      }
    }
    for (Map.Entry<MalleabilityRow.Key, List<MalleabilityRow>> e : groups.entrySet()) {
      MalleabilityRow.Key key = e.getKey();
      if (!key.model().equals("attn")) {
        continue;
      }
      FlipBootstrap.Result r = pairs.get(new MalleabilityRow.Key("relu", key.attack(), key.intervention(), key.eps()));
      if (r == null) {
        continue;
      }
      int s = e.getValue().size();
      FlipRateRatio flip = FlipRateRatio.of(r.flipRatio(), s);
      boolean curated = Double.isNaN(key.eps());
      if (curated || key.eps() == first) {
        put(topRatio, key, flip);
      }
      if (!curated) {
        FlipRateRatio excess = FlipRateRatio.of(r.excessRatio(), s);
        put(flipRatios.get(key.eps()), key, flip);
        put(excessRatios.get(key.eps()), key, excess);
        if (key.eps() == first) {
          put(topExcess, key, excess);
        }
      }
    }
    Map<String, RadiusFigures> byRadius = new LinkedHashMap<>();
    for (Double eps : radii) {
      byRadius.put(InfluenceResult.radiusKey(eps), new RadiusFigures(mall.get(eps), flipRatios.get(eps),
          excessRatios.get(eps)));
    }
    return new Summary(top, topRatio, topExcess, byRadius);
  }

  /** The rows of the first radius (and curated): the cells the dual table and the examples read. */
  List<MalleabilityRow> firstRadiusRows() {
    List<Double> radii = radii();
    return rows.stream().filter(r -> Double.isNaN(r.eps()) || r.eps() == radii.get(0)).toList();
  }

  private static void checkPaired(List<MalleabilityRow> relu, List<MalleabilityRow> attn, MalleabilityRow.Key key) {
    List<Long> a = relu.stream().map(MalleabilityRow::seed).toList();
    List<Long> b = attn.stream().map(MalleabilityRow::seed).toList();
    if (!a.equals(b)) {
      throw new IllegalStateException("the bootstrap pairs relu's and attn's seeds, but cell " + key + " has relu seeds "
          + a + " and attn seeds " + b);
    }
  }

  /** The rows' paired outcomes, one seed each (curated: a control that never flips). */
  private static FlipBootstrap.Outcomes outcomes(List<MalleabilityRow> seeds) {
    boolean[][] attack = new boolean[seeds.size()][];
    boolean[][] control = new boolean[seeds.size()][];
    for (int s = 0; s < seeds.size(); s++) {
      MalleabilityRow r = seeds.get(s);
      attack[s] = r.flips();
      control[s] = r.controlFlips() != null ? r.controlFlips() : new boolean[r.flips().length];
    }
    return FlipBootstrap.Outcomes.of(attack, control);
  }

  /** The noise floor's rate and bootstrap interval over the seeds that have one. */
  private static Interval noiseFloor(List<MalleabilityRow> seeds, int draws, long seed) {
    List<MalleabilityRow> with = seeds.stream().filter(r -> r.floorFlips() != null).toList();
    if (with.isEmpty()) {
      return new Interval(null, null, null, 0);
    }
    boolean[][] floor = new boolean[with.size()][];
    boolean[][] never = new boolean[with.size()][];
    for (int s = 0; s < with.size(); s++) {
      floor[s] = with.get(s).floorFlips();
      never[s] = new boolean[floor[s].length];
    }
    FlipBootstrap.Outcomes o = FlipBootstrap.Outcomes.of(floor, never);
    return interval(FlipBootstrap.compute(o, o, draws, seed).relu().flipRate(), with.size());
  }

  private static Interval interval(FlipBootstrap.Estimate e, int seeds) {
    return new Interval(e.mean(), e.lo(), e.hi(), seeds);
  }

  private static void put(Map<String, Map<String, Map<String, MalleabilityFigures>>> tree, MalleabilityRow.Key key,
      MalleabilityFigures f) {
    tree.computeIfAbsent(key.model(), x -> new LinkedHashMap<>())
        .computeIfAbsent(key.attack(), x -> new LinkedHashMap<>()).put(key.intervention(), f);
  }

  private static void put(Map<String, Map<String, FlipRateRatio>> tree, MalleabilityRow.Key key, FlipRateRatio r) {
    tree.computeIfAbsent(key.attack(), x -> new LinkedHashMap<>()).put(key.intervention(), r);
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
    List<DataType> added = List.of(DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.IntegerType,
        DataTypes.IntegerType, DataTypes.IntegerType);
    for (int i = 0; i < MalleabilityRow.ADDED.size(); i++) {
      schema = schema.add(MalleabilityRow.ADDED.get(i), added.get(i), i >= 2 && i <= 3 ? false : true);
    }
    List<Row> out = new ArrayList<>();
    for (MalleabilityRow r : rows) {
      out.add(RowFactory.create(r.values().toArray()));
    }
    spark.createDataFrame(out, schema).coalesce(1).write().mode("overwrite").parquet(output.uri("malleability.parquet"));
    output.writeText("malleability.csv", csv());
  }

  /** The text of {@code malleability.csv}: a header, then one line per row. */
  public String csv() {
    StringBuilder csv = new StringBuilder("model,attack,intervention,seed," + String.join(",", MalleabilityRow.METRICS)
        + "," + String.join(",", MalleabilityRow.ADDED) + "\n");
    for (MalleabilityRow r : rows) {
      List<Object> v = r.values();
      for (int i = 0; i < v.size(); i++) {
        csv.append(i > 0 ? "," : "").append(v.get(i) == null ? "" : v.get(i));
      }
      csv.append('\n');
    }
    return csv.toString();
  }
}
