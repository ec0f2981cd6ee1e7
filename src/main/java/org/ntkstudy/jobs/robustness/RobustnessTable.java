package org.ntkstudy.jobs.robustness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.results.DualRow;
import org.ntkstudy.results.DualTable;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.RobustnessCell;
import org.ntkstudy.results.Verdict;

/**
 * {@code robustness.csv} and {@code robustness.parquet}: one row per map cell × claim — the cell
 * (dataset, input normalisation, radius, kernel), the claim key and its verdict, and the numbers
 * behind it: each model's excess flip rate with its bootstrap interval and the excess ratio with its
 * interval (C3 rows; empty for C4 and dual), the networks' seed-mean test accuracy against the
 * chance level and its threshold, kernel ridge's test MSE and the networks' test loss per model.
 */
final class RobustnessTable {
  /** The columns after the cell, the claim and the verdict, in order. */
  static final List<String> NUMBERS = List.of("attn_excess", "attn_excess_lo", "attn_excess_hi", "relu_excess",
      "relu_excess_lo", "relu_excess_hi", "excess_ratio", "excess_ratio_lo", "excess_ratio_hi", "attn_test_accuracy",
      "relu_test_accuracy", "chance", "chance_threshold", "krr_test_mse_attn", "krr_test_mse_relu",
      "net_test_loss_attn", "net_test_loss_relu");

  private final List<List<Object>> rows = new ArrayList<>();

  /** Adds the rows of {@code cell}, one per claim, with its group's figures from {@code e}. */
  void add(RobustnessCell cell, RobustnessVerdicts.Evaluated e) {
    DualTable dual = e.numbers().dual();
    for (Map.Entry<String, Verdict> claim : cell.verdicts().entrySet()) {
      Map<String, Object> ev = claim.getValue().evidence();
      boolean c3 = claim.getKey().startsWith("C3.");
      List<Object> r = new ArrayList<>(List.of(cell.dataset(), cell.inputNorm(), cell.attackEps(), cell.kernel(),
          claim.getKey(), claim.getValue().verdict()));
      for (String key : NUMBERS.subList(0, 9)) {
        r.add(c3 ? number(ev.get(key)) : null);
      }
      r.add(accuracy(dual, "attn"));
      r.add(accuracy(dual, "relu"));
      r.add(e.numbers().chance().chance());
      r.add(e.numbers().chance().threshold());
      r.add(dual.row("attn") == null ? null : dual.row("attn").krrTestMse());
      r.add(dual.row("relu") == null ? null : dual.row("relu").krrTestMse());
      r.add(loss(dual, "attn"));
      r.add(loss(dual, "relu"));
      rows.add(r);
    }
  }

  /** The CSV text: a header, then one line per row (numbers as Java prints them, absent ones empty). */
  String csv() {
    StringBuilder sb = new StringBuilder("dataset,input_norm,attack_eps,kernel,claim,verdict,"
        + String.join(",", NUMBERS) + "\n");
    for (List<Object> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        sb.append(i > 0 ? "," : "").append(r.get(i) == null ? "" : r.get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Writes {@code robustness.csv} and {@code robustness.parquet} (one file). */
  void write(SparkSession spark, RunOutput output) {
    StructType schema = new StructType()
        .add("dataset", DataTypes.StringType, false)
        .add("input_norm", DataTypes.StringType, false)
        .add("attack_eps", DataTypes.DoubleType, false)
        .add("kernel", DataTypes.StringType, false)
        .add("claim", DataTypes.StringType, false)
        .add("verdict", DataTypes.StringType, false);
    for (String n : NUMBERS) {
      schema = schema.add(n, DataTypes.DoubleType, true);
    }
    List<Row> out = new ArrayList<>();
    for (List<Object> r : rows) {
      out.add(RowFactory.create(r.toArray()));
    }
    spark.createDataFrame(out, schema).coalesce(1).write().mode("overwrite").parquet(output.uri("robustness.parquet"));
    output.writeText("robustness.csv", csv());
  }

  private static Double number(Object v) {
    return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }

  private static Double accuracy(DualTable dual, String model) {
    DualRow row = dual.row(model);
    return row == null ? null : mean(row.netTestAccuracy());
  }

  private static Double loss(DualTable dual, String model) {
    DualRow row = dual.row(model);
    return row == null ? null : mean(row.netTestLoss());
  }

  private static Double mean(Interval iv) {
    return iv == null ? null : iv.mean();
  }
}
