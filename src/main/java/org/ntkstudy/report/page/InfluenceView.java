package org.ntkstudy.report.page;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkstudy.io.Json;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.PartResult;
import org.ntkstudy.results.ProvenanceRecord;
import org.ntkstudy.results.ResultJson;

/**
 * The influence part's summary as the report reads it, until the influence result has its typed
 * record: the one place that looks keys up in the summary's map tree, behind the accessors a typed
 * record would have. A missing key, a JSON null and a non-finite number all read as null.
 */
public final class InfluenceView implements PartResult {
  /** A cell of the malleability grid: an attack and the intervention applied after it. */
  public record Cell(String attack, String intervention) {}

  /**
   * The malleability figures of one (model, attack, intervention) cell, each a seed interval (null
   * when the summary does not have it).
   *
   * @param flipRate the fraction of the top-k examples whose influence changes sign
   * @param spearman Spearman ρ of the influence before and after
   * @param topkOverlap the overlap of the top-k sets before and after
   * @param controlRandom the flip rate of random ±ε signs on the same examples
   * @param controlNoiseFloor the sign changes between two seeds without an attack
   */
  public record Malleability(Interval flipRate, Interval spearman, Interval topkOverlap, Interval controlRandom,
      Interval controlNoiseFloor) {}

  /**
   * The attn/relu flip-rate ratio of one cell with its bootstrap 95% interval.
   *
   * @param mean the ratio, or null when relu never flipped
   * @param lo the interval's lower end, or null
   * @param hi the interval's upper end, or null
   * @param seedsAttn the attn seeds behind it, or null
   * @param seedsRelu the relu seeds behind it, or null
   */
  public record Ratio(Double mean, Double lo, Double hi, Double seedsAttn, Double seedsRelu) {
    /** No ratio: every figure null. */
    public static final Ratio NONE = new Ratio(null, null, null, null, null);

    /** Whether the ratio exists. */
    public boolean present() {
      return mean != null;
    }
  }

  /**
   * The paper's flip rates, as reported by it (percent), per setting and model, one per attack.
   *
   * @param source where the figures come from, or null
   * @param attacks the attacks, in the order of each setting's list
   * @param settings setting → model → flip rates in percent (a missing number null)
   */
  public record PaperFlipRates(String source, List<String> attacks, Map<String, Map<String, List<Double>>> settings) {
    /** The flip rates of {@code model} in {@code setting}, one per attack, or an empty list. */
    public List<Double> rates(String setting, String model) {
      Map<String, List<Double>> s = settings.get(setting);
      List<Double> v = s == null ? null : s.get(model);
      return v == null ? List.of() : v;
    }
  }

  /**
   * One seed's leave-one-out comparison (each figure null when absent).
   *
   * @param pearson Pearson r
   * @param spearman Spearman ρ
   * @param signAgreement the fraction of examples whose influence has the same sign
   * @param topkOverlap the overlap of the top-k sets
   * @param maxAbsDifference max |difference|
   * @param maxAbsDifferenceRelative max |difference| / max |I|
   */
  public record LooSeed(Double pearson, Double spearman, Double signAgreement, Double topkOverlap,
      Double maxAbsDifference, Double maxAbsDifferenceRelative) {}

  /**
   * A leave-one-out comparison of one model: seed intervals and each seed's figures.
   *
   * @param pearson Pearson r over seeds, or null
   * @param signAgreement the sign agreement over seeds, or null
   * @param seeds seed → its figures, in the file's order
   */
  public record Loo(Interval pearson, Interval signAgreement, Map<String, LooSeed> seeds) {}

  private final Map<String, Object> summary;

  /** A view of {@code influence/summary.json} read as a map tree. */
  public InfluenceView(Map<String, Object> summary) {
    this.summary = summary;
  }

  // ------------------------------------------------------------------ the part

  @Override
  public String dataset() {
    return str(summary, "dataset");
  }

  @Override
  public int n() {
    Double n = num(summary, "n");
    return n == null ? 0 : n.intValue();
  }

  /** The summary's provenance block as a record, or null (read each time: a malformed block fails its reader). */
  @Override
  public ProvenanceRecord provenance() {
    Object p = at(summary, "provenance");
    return p instanceof Map<?, ?> ? ResultJson.read(Json.write(p), ProvenanceRecord.class) : null;
  }

  @Override
  public Double totalS() {
    Double s = num(summary, "total_s");
    return s != null ? s : num(summary, "timings", "total_s");
  }

  /** k, the number of top training examples whose influence is followed, or null. */
  public Double k() {
    return num(summary, "k");
  }

  /** τ, the fraction of the training set that k is, or null. */
  public Double tau() {
    return num(summary, "tau");
  }

  /** The attack radius ε in pixels, or null. */
  public Double eps() {
    return num(summary, "eps");
  }

  /** λ_ridge, or null. */
  public Double lambda() {
    return num(summary, "lambda");
  }

  /** The kernel whose influence is measured ("empirical" or "analytic"), or null. */
  public String kernel() {
    return str(summary, "kernel");
  }

  /** What the influence is the influence on ("margin", …), or null. */
  public String influenceTarget() {
    return str(summary, "influence_target");
  }

  /** How K + λI was factorised, or null. */
  public String factorisation() {
    return str(summary, "factorisation");
  }

  // ------------------------------------------------------------------ malleability

  /** The models of the malleability grid, in the file's order. */
  public List<String> models() {
    return List.copyOf(map(summary, "malleability").keySet());
  }

  /** The (attack, intervention) cells of {@code model}, in the file's order. */
  public List<Cell> cells(String model) {
    List<Cell> cells = new ArrayList<>();
    for (Map.Entry<String, Object> a : map(summary, "malleability", model).entrySet()) {
      for (String iv : map(a.getValue()).keySet()) {
        cells.add(new Cell(a.getKey(), iv));
      }
    }
    return cells;
  }

  /** The figures of one cell, or null when the summary has no such cell (or an empty one). */
  public Malleability malleability(String model, String attack, String intervention) {
    Map<String, Object> m = map(summary, "malleability", model, attack, intervention);
    if (m.isEmpty()) {
      return null;
    }
    return new Malleability(interval(m.get("flip_rate")), interval(m.get("spearman")), interval(m.get("topk_overlap")),
        interval(m.get("control_random")), interval(m.get("control_noise_floor")));
  }

  /** The flip rate of one cell, or null. */
  public Interval flipRate(String model, String attack, String intervention) {
    Malleability m = malleability(model, attack, intervention);
    return m == null ? null : m.flipRate();
  }

  /** The cells that have an attn/relu ratio, in the file's order. */
  public List<Cell> ratioCells() {
    List<Cell> cells = new ArrayList<>();
    for (Map.Entry<String, Object> a : map(summary, "ratio").entrySet()) {
      for (String iv : map(a.getValue()).keySet()) {
        cells.add(new Cell(a.getKey(), iv));
      }
    }
    return cells;
  }

  /** The attn/relu flip-rate ratio of one cell, or {@link Ratio#NONE} when the summary has none. */
  public Ratio ratio(String attack, String intervention) {
    Object o = at(summary, "ratio", attack, intervention);
    if (!(o instanceof Map)) {
      return Ratio.NONE;
    }
    return new Ratio(num(o, "mean"), num(o, "lo"), num(o, "hi"), num(o, "seeds_attn"), num(o, "seeds_relu"));
  }

  /** The paper's flip rates, or null when the summary has none. */
  public PaperFlipRates paperFlipRates() {
    Map<String, Object> paper = map(summary, "paper_flip_rates");
    if (paper.isEmpty()) {
      return null;
    }
    List<String> attacks = new ArrayList<>();
    for (Object a : list(paper, "attacks")) {
      attacks.add(String.valueOf(a));
    }
    Map<String, Map<String, List<Double>>> settings = new LinkedHashMap<>();
    for (Map.Entry<String, Object> s : paper.entrySet()) {
      if (!(s.getValue() instanceof Map)) {
        continue;
      }
      Map<String, List<Double>> byModel = new LinkedHashMap<>();
      for (Map.Entry<String, Object> m : map(s.getValue()).entrySet()) {
        if (m.getValue() instanceof List<?> l) {
          List<Double> v = new ArrayList<>(l.size());
          l.forEach(x -> v.add(num(x)));
          byModel.put(m.getKey(), Collections.unmodifiableList(v));
        }
      }
      settings.put(s.getKey(), Collections.unmodifiableMap(byModel));
    }
    return new PaperFlipRates(str(paper, "source"), List.copyOf(attacks), Collections.unmodifiableMap(settings));
  }

  // ------------------------------------------------------------------ the dual implication

  /** The models of the dual-implication table, in the file's order (empty when there is no table). */
  public List<String> dualModels() {
    return List.copyOf(map(summary, "dual", "table").keySet());
  }

  /**
   * The table's quantities, in the order the models list them (relu's first, then attn's):
   * kernel-ridge and network figures, then each vulnerability figure as {@code vulnerability.<name>}.
   */
  public List<String> dualQuantities() {
    List<String> quantities = new ArrayList<>();
    for (String model : ReportContext.orderModels(dualModels())) {
      for (Map.Entry<String, Object> e : map(summary, "dual", "table", model).entrySet()) {
        if (e.getKey().equals("vulnerability")) {
          for (String v : map(e.getValue()).keySet()) {
            if (!quantities.contains("vulnerability." + v)) {
              quantities.add("vulnerability." + v);
            }
          }
        } else if (!quantities.contains(e.getKey())) {
          quantities.add(e.getKey());
        }
      }
    }
    return quantities;
  }

  /** A quantity of the table that is an interval over seeds (the network's figures, vulnerability), or null. */
  public Interval dualInterval(String model, String quantity) {
    Object v = dualEntry(model, quantity);
    return v instanceof Map ? interval(v) : null;
  }

  /** A quantity of the table that is a single number (kernel ridge with H∞, one fit), or null. */
  public Double dualNumber(String model, String quantity) {
    Object v = dualEntry(model, quantity);
    return v instanceof Number ? num(v) : null;
  }

  private Object dualEntry(String model, String quantity) {
    return quantity.startsWith("vulnerability.")
        ? at(summary, "dual", "table", model, "vulnerability", quantity.substring("vulnerability.".length()))
        : at(summary, "dual", "table", model, quantity);
  }

  /** Whether attention's kernel fits the task better, or null. */
  public Boolean attnApproximatesBetter() {
    return bool(summary, "dual", "attn_approximates_better");
  }

  /** Whether attention's influence flips more easily, or null. */
  public Boolean attnMoreMalleable() {
    return bool(summary, "dual", "attn_more_malleable");
  }

  /** The dual implication in one sentence, or null. */
  public String dualStatement() {
    return str(summary, "dual", "statement");
  }

  // ------------------------------------------------------------------ leave-one-out

  /** Whether the transductive LOO ran (its block is present and not empty). */
  public boolean hasTransductive() {
    return !map(summary, "transductive").isEmpty();
  }

  /** The transductive LOO's definition, or null. */
  public String transductiveDefinition() {
    return str(summary, "transductive", "definition");
  }

  /** The transductive LOO of attn, or null when it did not run. */
  public Loo transductive() {
    return hasTransductive() ? loo(map(summary, "transductive")) : null;
  }

  /** Whether the retraining LOO ran (its block is present and not empty). */
  public boolean hasRetrainLoo() {
    return !map(summary, "retrain_loo").isEmpty();
  }

  /** The retraining LOO's definition, or null. */
  public String retrainLooDefinition() {
    return str(summary, "retrain_loo", "definition");
  }

  /** The retraining LOO per model, in the file's order (empty when it did not run). */
  public Map<String, Loo> retrainLoo() {
    Map<String, Loo> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map(summary, "retrain_loo").entrySet()) {
      if (e.getValue() instanceof Map) {
        out.put(e.getKey(), loo(map(e.getValue())));
      }
    }
    return out;
  }

  private static Loo loo(Map<String, Object> m) {
    Map<String, LooSeed> seeds = new LinkedHashMap<>();
    for (Map.Entry<String, Object> s : map(m, "seeds").entrySet()) {
      Object v = s.getValue();
      seeds.put(s.getKey(), new LooSeed(num(v, "pearson"), num(v, "spearman"), num(v, "sign_agreement"),
          num(v, "topk_overlap"), num(v, "max_abs_difference"), num(v, "max_abs_difference_relative")));
    }
    return new Loo(interval(m.get("pearson")), interval(m.get("sign_agreement")), seeds);
  }

  // ------------------------------------------------------------------ the map tree

  /** A {mean, lo, hi, seeds} object as an interval, or null when it is not one. */
  private static Interval interval(Object o) {
    if (!(o instanceof Map)) {
      return null;
    }
    Double seeds = num(o, "seeds");
    return new Interval(num(o, "mean"), num(o, "lo"), num(o, "hi"), seeds == null ? 0 : (int) Math.round(seeds));
  }

  private static Object at(Object root, String... path) {
    Object o = root;
    for (String k : path) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(k);
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof List<?> l ? l : List.of();
  }

  private static Double num(Object o) {
    if (o instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    return null;
  }

  private static Double num(Object root, String... path) {
    return num(at(root, path));
  }

  private static String str(Object root, String... path) {
    Object o = at(root, path);
    return o == null ? null : String.valueOf(o);
  }

  private static Boolean bool(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof Boolean b ? b : null;
  }
}
