package org.ntkstudy.report;

import static org.ntkstudy.report.page.Html.esc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.StagedFolder;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.report.page.ReportContext.DataFile;
import org.ntkstudy.report.sections.DualSection;
import org.ntkstudy.report.sections.ExamplesSection;
import org.ntkstudy.report.sections.HeadlineSection;
import org.ntkstudy.report.sections.LooSection;
import org.ntkstudy.report.sections.MalleabilitySection;
import org.ntkstudy.report.sections.ProvenanceSection;
import org.ntkstudy.report.sections.SpectrumSection;
import org.ntkstudy.report.sections.SweepErrorsSection;
import org.ntkstudy.report.sections.SweepSpectraSection;
import org.ntkstudy.report.sections.TrainSection;
import org.ntkstudy.report.sections.VerdictsSection;
import org.ntkstudy.results.Results;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study's HTML report: one self-contained file ({@code DIR/report/report.html}, plots embedded
 * as PNG data URIs, no external resources) read from a study folder's parts (spectrum, sweep,
 * train, influence — any may be missing), with the numbers behind every plot in
 * {@code DIR/report/data/*.csv} and an {@code index.json} listing them; its first section answers
 * whether the paper's claims hold here (the study's verdicts). This class assembles the
 * page from its sections (package {@code sections}) and writes it the safe way: a new report
 * replaces the old one only once complete.
 */
public final class StudyReport {
  private static final Logger LOG = LoggerFactory.getLogger(StudyReport.class);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The parts a study folder may hold, in the order they run. */
  public static final List<String> PARTS = Results.PARTS;

  /** The report's sections, in order. */
  static final List<ReportSection> SECTION_LIST = List.of(new VerdictsSection(), new HeadlineSection(),
      new SpectrumSection(),
      new SweepSpectraSection(), new SweepErrorsSection(), new TrainSection(), new MalleabilitySection(),
      new DualSection(), new ExamplesSection(), new LooSection(), new ProvenanceSection());

  /** The report's sections: id and heading, in order. */
  public static final List<List<String>> SECTIONS =
      SECTION_LIST.stream().map(s -> List.of(s.id(), s.title())).toList();

  private StudyReport() {}

  /**
   * Writes the report of a finished study folder, which names itself on the page.
   *
   * @see #write(SparkSession, String, String)
   */
  public static Path write(SparkSession spark, String studyDir) {
    return write(spark, studyDir, studyDir);
  }

  /**
   * Writes {@code studyDir/report/report.html}, {@code report/data/*.csv} and
   * {@code report/index.json}, replacing an earlier report only once the new one is complete, and
   * returns the HTML's path.
   *
   * @param studyDir a study folder (a Hadoop URI or local path), finished or still in progress
   * @param displayDir the folder the page names: the study's final folder when {@code studyDir}
   *     is still its temporary one
   */
  public static Path write(SparkSession spark, String studyDir, String displayDir) {
    try {
      Path d = new Path(studyDir);
      FileSystem fs = d.getFileSystem(spark.sparkContext().hadoopConfiguration());
      // No .crc sidecar files beside the report on a local disk.
      fs.setWriteChecksum(false);
      Path dir = fs.makeQualified(d);
      if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
        throw new IOException(dir + " is not a folder");
      }
      Path shown = new Path(displayDir);
      ReportContext ctx = new ReportContext(spark, fs, dir,
          shown.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(shown));
      List<String> failures = page(ctx);
      Path reportDir = StagedFolder.write(fs, new Path(dir, "report"), tmp -> writeFiles(fs, tmp, ctx, failures));
      Path html = new Path(reportDir, "report.html");
      LOG.info("report written to {} ({} plots' data files)", html, ctx.dataFiles().size());
      return html;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of " + studyDir + ": " + e.getMessage(), e);
    }
  }

  /** Draws the whole page into {@code ctx}; returns the ids of the sections that failed. */
  private static List<String> page(ReportContext ctx) {
    StringBuilder out = ctx.html();
    header(ctx);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < SECTION_LIST.size(); i++) {
      ReportSection s = SECTION_LIST.get(i);
      out.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(i + 1).append(". ")
          .append(esc(s.title())).append("</h2>\n");
      ReportContext.Mark mark = ctx.mark();
      try {
        s.write(ctx);
      } catch (Exception | LinkageError e) {
        LOG.warn("report section {} failed", s.id(), e);
        ctx.rollback(mark);
        failures.add(s.id());
        out.append(Html.note("This section could not be drawn from the study's files: " + e));
      }
      out.append("</section>\n");
    }
    out.append("<footer>Generated ").append(esc(Instant.now().toString())).append(" by org.ntkstudy.report.StudyReport")
        .append(" (code ").append(esc(Provenance.gitCommit())).append(") from ").append(esc(ctx.displayDir()))
        .append(".</footer>\n</main>\n</body>\n</html>\n");
    return failures;
  }

  private static void header(ReportContext ctx) {
    StringBuilder out = ctx.html();
    String dataset = ctx.dataset();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(esc("NTK attention study" + (dataset == null ? "" : " — " + dataset))).append("</title>\n<style>")
        .append(Html.STYLE).append("</style>\n</head>\n<body>\n<main>\n");
    out.append("<h1>").append(esc("Linearized attention and the NTK: study report"
        + (dataset == null ? "" : " — " + dataset))).append("</h1>\n");
    String name = ctx.study() == null ? null : ctx.study().study();
    out.append("<p class=\"subtitle\">").append(esc((name == null ? "" : "Study " + name + " · ")
        + "reproducing “Influence Malleability in Linearized Attention” (arXiv 2603.13085) · folder "
        + ctx.displayDir())).append("</p>\n");
    out.append("<nav class=\"toc\"><b>Contents</b><ol>");
    for (List<String> s : SECTIONS) {
      out.append("<li><a href=\"#").append(s.get(0)).append("\">").append(esc(s.get(1))).append("</a></li>");
    }
    out.append("</ol></nav>\n");
  }

  /** The report's files in folder {@code dir}: data/*.csv, index.json, report.html. */
  private static void writeFiles(FileSystem fs, Path dir, ReportContext ctx, List<String> failures)
      throws IOException {
    fs.mkdirs(new Path(dir, "data"));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("report", "report.html");
    index.put("study", ctx.displayDir());
    index.put("parts_present", new ArrayList<>(ctx.parts().keySet()));
    index.put("parts_missing", new LinkedHashMap<>(ctx.absent()));
    Map<String, Object> plots = new LinkedHashMap<>();
    for (Map.Entry<String, DataFile> e : ctx.dataFiles().entrySet()) {
      String file = "data/" + e.getKey() + ".csv";
      writeText(fs, new Path(dir, file), e.getValue().csv().text());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("csv", file);
      entry.put("title", e.getValue().title());
      entry.put("figure", e.getValue().figure());
      entry.put("rows", e.getValue().csv().rows());
      plots.put(e.getKey(), entry);
    }
    index.put("plots", plots);
    index.put("sections_failed", failures);
    writeText(fs, new Path(dir, "index.json"), Json.write(index));
    writeText(fs, new Path(dir, "report.html"), ctx.html().toString());
  }

  private static void writeText(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
