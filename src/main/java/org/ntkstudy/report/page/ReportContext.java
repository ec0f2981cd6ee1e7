package org.ntkstudy.report.page;

import static org.ntkstudy.report.page.Html.esc;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.PartResult;
import org.ntkstudy.results.Results;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.results.StudyOutputs;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.results.TrainResult;

/**
 * What the report's sections share: the study folder and its files (read by path relative to the
 * folder), the parts' results as typed records, the page
 * being written, and the plots' data files.
 */
public final class ReportContext {
  private final SparkSession spark;
  private final FileSystem fs;
  private final Path dir;
  private final Path displayDir;
  private final StudyOutputs outputs;
  private final StringBuilder html = new StringBuilder();
  private final Map<String, DataFile> data = new LinkedHashMap<>();
  private final Map<String, Integer> figureNumbers = new LinkedHashMap<>();

  /** A plot's or table's data file: {@code data/NAME.csv}. */
  public record DataFile(String title, String figure, Csv csv) {}

  /** The page's length and the data files registered at one moment, to undo a failed section. */
  public record Mark(int htmlLength, Set<String> dataNames) {}

  /**
   * Reads the study's results ({@link Results#read}): each part's summary, typed (a part without
   * summary.json is noted as absent), and the study's own summary when there is one.
   *
   * @param dir the study folder, qualified
   * @param displayDir the folder as the page names it, qualified (the final name of a study still
   *     in its temporary folder)
   */
  public ReportContext(SparkSession spark, FileSystem fs, Path dir, Path displayDir) {
    this.spark = spark;
    this.fs = fs;
    this.dir = dir;
    this.displayDir = displayDir;
    this.outputs = Results.read(dir.toString(), spark.sparkContext().hadoopConfiguration());
  }

  // ------------------------------------------------------------------ results

  /** The present parts' results, by part, in the order the parts run. */
  public Map<String, PartResult> parts() {
    Map<String, PartResult> parts = new LinkedHashMap<>();
    for (String part : Results.PARTS) {
      PartResult r = switch (part) {
        case "spectrum" -> outputs.spectrum();
        case "sweep" -> outputs.sweep();
        case "train" -> outputs.train();
        case "influence" -> outputs.influence();
        default -> null;
      };
      if (r != null) {
        parts.put(part, r);
      }
    }
    return Collections.unmodifiableMap(parts);
  }

  /** Why each missing part is missing, by part. */
  public Map<String, String> absent() {
    return outputs.absent();
  }

  /** The spectrum part's result, or null. */
  public SpectrumResult spectrum() {
    return outputs.spectrum();
  }

  /** The sweep part's result, or null. */
  public SweepResult sweep() {
    return outputs.sweep();
  }

  /** The train part's result, or null. */
  public TrainResult train() {
    return outputs.train();
  }

  /** The influence part's result, or null. */
  public InfluenceResult influence() {
    return outputs.influence();
  }

  /** The study's own result, or null (a study still running, or parts run one by one). */
  public StudyResult study() {
    return outputs.study();
  }

  /** The first part's dataset, or null. */
  public String dataset() {
    for (PartResult r : parts().values()) {
      if (r.dataset() != null) {
        return r.dataset();
      }
    }
    return null;
  }

  /** True when {@code part} is present; else writes a note saying why it is not and returns false. */
  public boolean requirePart(String part) {
    if (outputs.has(part)) {
      return true;
    }
    html.append(Html.note("Not available: " + outputs.absent().getOrDefault(part, "no " + part + " part") + "."));
    return false;
  }

  // ------------------------------------------------------------------ the page

  /** The page being written. */
  public StringBuilder html() {
    return html;
  }

  /** The study folder as the page names it (a local folder as a plain path). */
  public String displayDir() {
    return show(displayDir);
  }

  /**
   * {@code text} with the study folder's actual name, qualified or as a plain path, replaced by
   * the displayed folder's in the same form: a part's {@code out} recorded while the study was
   * still in its temporary folder names the final folder.
   */
  public String display(String text) {
    return text.replace(dir.toString(), displayDir.toString()).replace(show(dir), show(displayDir));
  }

  private static String show(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  /** Registers a plot's data file, {@code data/NAME.csv}. */
  public void data(String name, String title, String figure, Csv csv) {
    data.put(name, new DataFile(title, figure, csv));
  }

  /** Cites a table's data file under it. */
  public void tableData(String name) {
    html.append("<p class=\"tabledata\"><span class=\"data\">Data: data/").append(esc(name))
        .append(".csv</span></p>\n");
  }

  /** Embeds a figure; {@code files} are the data names it was drawn from. */
  public void figure(String id, BufferedImage img, String title, String caption, String... files) {
    int n = figureNumbers.size() + 1;
    figureNumbers.put(id, n);
    html.append("<figure id=\"fig-").append(esc(id)).append("\"><img src=\"").append(Charts.dataUri(img))
        .append("\" width=\"").append(img.getWidth()).append("\" height=\"").append(img.getHeight())
        .append("\" alt=\"").append(esc(title)).append("\"><figcaption><b>Figure ").append(n).append(". ")
        .append(esc(title)).append(".</b> ").append(esc(caption));
    if (files.length > 0) {
      html.append(" <span class=\"data\">Data: ");
      for (int i = 0; i < files.length; i++) {
        html.append(i > 0 ? ", " : "").append("data/").append(esc(files[i])).append(".csv");
      }
      html.append("</span>");
    }
    html.append("</figcaption></figure>\n");
  }

  public Map<String, DataFile> dataFiles() {
    return data;
  }

  public Mark mark() {
    return new Mark(html.length(), new LinkedHashSet<>(data.keySet()));
  }

  /** Drops what was written and registered since {@code mark} (figure numbers stay taken). */
  public void rollback(Mark mark) {
    html.setLength(mark.htmlLength());
    data.keySet().retainAll(mark.dataNames());
  }

  // ------------------------------------------------------------------ the study's files

  /** File or folder {@code relative} of the study folder. */
  public Path path(String relative) {
    return new Path(dir, relative);
  }

  /** True when {@code relative} exists in the study folder. */
  public boolean exists(String relative) throws IOException {
    return fs.exists(path(relative));
  }

  /** The names in folder {@code relative}, sorted. */
  public List<String> list(String relative) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(path(relative))) {
      names.add(s.getPath().getName());
    }
    Collections.sort(names);
    return names;
  }

  /** Text file {@code relative} (UTF-8). */
  public String readText(String relative) throws IOException {
    try (InputStream in = fs.open(path(relative))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** .npy file {@code relative}. */
  public Matrix readNpy(String relative) throws IOException {
    Path p = path(relative);
    try (InputStream in = new BufferedInputStream(fs.open(p), 1 << 16)) {
      return Npy.read(in, p.getName());
    }
  }

  /** Parquet table {@code relative}. */
  public Dataset<Row> parquet(String relative) {
    return spark.read().parquet(path(relative).toString());
  }

  // ------------------------------------------------------------------ models

  /** relu first, attn second, anything else after, in the given order. */
  public static List<String> orderModels(Collection<String> models) {
    List<String> l = new ArrayList<>();
    for (String m : List.of("relu", "attn")) {
      if (models.contains(m)) {
        l.add(m);
      }
    }
    for (String m : models) {
      if (!l.contains(m)) {
        l.add(m);
      }
    }
    return l;
  }

  /** A model's name on the page: its key and the paper's name for it. */
  public static String modelName(String model) {
    return switch (model) {
      case "relu" -> "relu (2L-ReLU)";
      case "attn" -> "attn (MLP-Attn)";
      default -> model;
    };
  }
}
