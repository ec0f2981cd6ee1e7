package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportData.at;
import static org.ntkstudy.report.page.ReportData.map;
import static org.ntkstudy.report.page.ReportData.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkstudy.io.Json;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.report.StudyReport;

/** Section 10: each part's status, run time, code and machine, and full configuration. */
public final class ProvenanceSection implements ReportSection {
  @Override
  public String id() {
    return "provenance";
  }

  @Override
  public String title() {
    return "Provenance";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    Map<String, Map<String, Object>> summaries = ctx.summaries();
    Map<String, String> absent = ctx.absent();
    Map<String, Object> study = ctx.studySummary();
    List<List<String>> parts = new ArrayList<>();
    for (String part : StudyReport.PARTS) {
      Map<String, Object> s = summaries.get(part);
      String status = s != null ? "present" : absent.getOrDefault(part, "missing");
      Object studyStatus = at(study, "parts", part, "status");
      parts.add(List.of(esc(part), esc(status), esc(studyStatus == null ? Fmt.NONE : String.valueOf(studyStatus)),
          Fmt.html(num(s, "total_s") != null ? num(s, "total_s") : num(s, "timings", "total_s"))));
    }
    out.append("<h3>Parts</h3>\n");
    out.append(Html.table(null, List.of("part", "in this folder", "study status", "run time (s)"), parts));
    if (study != null) {
      out.append("<h3>Study</h3>\n");
      out.append(kv(ctx, map(study, "settings").isEmpty() ? Map.of() : map(study, "settings")));
      out.append(provenanceTable(List.of("study"), List.of(map(study, "provenance"))));
    } else {
      out.append(Html.note("No study-level summary.json (yet): the study may still be running, or the parts were run "
          + "one by one."));
    }
    if (summaries.isEmpty()) {
      return;
    }
    out.append("<h3>Each part's provenance</h3>\n");
    List<String> names = new ArrayList<>(summaries.keySet());
    List<Map<String, Object>> provs = new ArrayList<>();
    for (String n : names) {
      provs.add(map(summaries.get(n), "provenance"));
    }
    out.append(provenanceTable(names, provs));
    for (String n : names) {
      Map<String, Object> config = map(summaries.get(n), "provenance", "config");
      out.append("<details><summary>").append(esc(n + ": full configuration (" + config.size() + " options)"))
          .append("</summary>").append(kv(ctx, config)).append("</details>\n");
    }
  }

  private static String provenanceTable(List<String> names, List<Map<String, Object>> provs) {
    String[][] fields = {{"git_commit", "git commit"}, {"created", "created"}, {"spark_version", "Spark"},
        {"spark_master", "Spark master"}, {"default_parallelism", "default parallelism"},
        {"java_version", "Java"}, {"java_vendor", "Java vendor"}, {"blas", "BLAS"}, {"lapack", "LAPACK"},
        {"blas_library", "BLAS library"}, {"openblas", "OpenBLAS build and core"},
        {"openblas_num_threads", "OPENBLAS_NUM_THREADS"}, {"openblas_coretype_env", "OPENBLAS_CORETYPE"},
        {"driver_heap_max_mb", "driver heap limit (MB)"}, {"driver_heap_pools_peak_sum_mb", "driver heap peak ≤ (MB)"},
        {"seed", "seed"}};
    List<List<String>> rows = new ArrayList<>();
    for (String[] f : fields) {
      List<String> row = new ArrayList<>();
      row.add(esc(f[1]));
      boolean any = false;
      for (Map<String, Object> p : provs) {
        Object v = p.get(f[0]);
        any |= v != null;
        row.add("<span class=\"text\">" + esc(v == null ? Fmt.NONE : String.valueOf(v)) + "</span>");
      }
      if (any || f[0].equals("git_commit")) {
        rows.add(row);
      }
    }
    List<String> head = new ArrayList<>(List.of("field"));
    head.addAll(names);
    return Html.table("prov", head, rows).replace("<td>", "<td class=\"text\">");
  }

  /** Options and values; a path inside the study's temporary folder names its final folder. */
  private static String kv(ReportContext ctx, Map<String, ?> m) {
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, ?> e : m.entrySet()) {
      rows.add(List.of(esc(e.getKey()), esc(ctx.display(valueText(e.getValue())))));
    }
    return Html.table("kv", List.of("option", "value"), rows).replace("<td>", "<td class=\"text\">");
  }

  private static String valueText(Object v) {
    if (v == null) {
      return Fmt.NONE;
    }
    if (v instanceof List<?> l) {
      List<String> s = new ArrayList<>();
      for (Object o : l) {
        s.add(valueText(o));
      }
      return String.join(", ", s);
    }
    if (v instanceof Map<?, ?>) {
      return Json.write(v).replace("null", "\"—\"").replaceAll("\\s+", " ");
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.valueOf(d) : Fmt.NONE;
    }
    return String.valueOf(v);
  }
}
