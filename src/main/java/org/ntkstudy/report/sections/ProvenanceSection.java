package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ntkstudy.io.Json;
import org.ntkstudy.results.Results;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.PartResult;
import org.ntkstudy.results.PartStatus;
import org.ntkstudy.results.ProvenanceRecord;
import org.ntkstudy.results.StudyResult;

/** Section 11: each part's status, run time, code and machine, and full configuration. */
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
    Map<String, PartResult> results = ctx.parts();
    Map<String, String> absent = ctx.absent();
    StudyResult study = ctx.study();
    List<List<String>> parts = new ArrayList<>();
    for (String part : Results.PARTS) {
      PartResult s = results.get(part);
      String status = s != null ? "present" : absent.getOrDefault(part, "missing");
      PartStatus studyStatus = study == null || study.parts() == null ? null : study.part(part);
      String studyStatusText = studyStatus == null ? null : studyStatus.status();
      parts.add(List.of(esc(part), esc(status), esc(studyStatusText == null ? Fmt.NONE : studyStatusText),
          Fmt.html(s == null ? null : s.totalS())));
    }
    out.append("<h3>Parts</h3>\n");
    out.append(Html.table(null, List.of("part", "in this folder", "study status", "run time (s)"), parts));
    if (study != null) {
      out.append("<h3>Study</h3>\n");
      out.append(kv(ctx, study.settings() == null ? Map.of() : study.settings()));
      out.append(provenanceTable(List.of("study"), Collections.singletonList(study.provenance())));
    } else {
      out.append(Html.note("No study-level summary.json (yet): the study may still be running, or the parts were run "
          + "one by one."));
    }
    if (results.isEmpty()) {
      return;
    }
    out.append("<h3>Each part's provenance</h3>\n");
    List<String> names = new ArrayList<>(results.keySet());
    List<ProvenanceRecord> provs = new ArrayList<>();
    for (String n : names) {
      provs.add(results.get(n).provenance());
    }
    out.append(provenanceTable(names, provs));
    for (int i = 0; i < names.size(); i++) {
      ProvenanceRecord p = provs.get(i);
      Map<String, Object> config = p == null || p.config() == null ? Map.of() : p.config();
      out.append("<details><summary>").append(esc(names.get(i) + ": full configuration (" + config.size() + " options)"))
          .append("</summary>").append(kv(ctx, config)).append("</details>\n");
    }
  }

  /** A row of the provenance table: its label and how to read it from a record. */
  private record Field(String label, Function<ProvenanceRecord, Object> value) {}

  private static final List<Field> FIELDS = List.of(
      new Field("git commit", ProvenanceRecord::gitCommit),
      new Field("created", ProvenanceRecord::created),
      new Field("Spark", ProvenanceRecord::sparkVersion),
      new Field("Spark master", ProvenanceRecord::sparkMaster),
      new Field("default parallelism", ProvenanceRecord::defaultParallelism),
      new Field("Java", ProvenanceRecord::javaVersion),
      new Field("Java vendor", ProvenanceRecord::javaVendor),
      new Field("BLAS", ProvenanceRecord::blas),
      new Field("LAPACK", ProvenanceRecord::lapack),
      new Field("BLAS library", ProvenanceRecord::blasLibrary),
      new Field("OpenBLAS build and core", ProvenanceRecord::openblas),
      new Field("OPENBLAS_NUM_THREADS", ProvenanceRecord::openblasNumThreads),
      new Field("OPENBLAS_CORETYPE", ProvenanceRecord::openblasCoretypeEnv),
      new Field("driver heap limit (MB)", ProvenanceRecord::driverHeapMaxMb),
      new Field("driver heap peak ≤ (MB)", ProvenanceRecord::driverHeapPoolsPeakSumMb),
      new Field("seed", ProvenanceRecord::seed));

  private static String provenanceTable(List<String> names, List<ProvenanceRecord> provs) {
    List<List<String>> rows = new ArrayList<>();
    for (Field f : FIELDS) {
      List<String> row = new ArrayList<>();
      row.add(esc(f.label()));
      boolean any = false;
      for (ProvenanceRecord p : provs) {
        Object v = p == null ? null : f.value().apply(p);
        any |= v != null;
        row.add("<span class=\"text\">" + esc(v == null ? Fmt.NONE : String.valueOf(v)) + "</span>");
      }
      // The git commit's row always shows, even when no part recorded one.
      if (any || f == FIELDS.get(0)) {
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
