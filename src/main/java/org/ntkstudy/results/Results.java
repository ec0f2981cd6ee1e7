package org.ntkstudy.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads results back from their folders: one job's {@code summary.json} as its record, or a whole
 * study folder as {@link StudyOutputs}. Paths are Hadoop URIs (file://, hdfs://, s3a://, gs://).
 */
public final class Results {
  /** The study's parts, in the order they run (the folders of a study). */
  public static final List<String> PARTS = List.of("spectrum", "sweep", "train", "influence");

  /** The name of every job's summary file. */
  public static final String SUMMARY = "summary.json";

  private Results() {}

  /** The summary.json of the job output folder {@code dir}, as a record of {@code type}. */
  public static <T> T read(String dir, Class<T> type, Configuration conf) {
    Path p = new Path(dir, SUMMARY);
    try {
      return ResultJson.read(readText(p, conf), type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every result of the study folder {@code studyDir}, finished or still in progress: the parts
   * that have a summary.json, typed, and why the others have none.
   */
  public static StudyOutputs read(String studyDir, Configuration conf) {
    Path dir = new Path(studyDir);
    Map<String, String> absent = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (String part : PARTS) {
        Path summary = new Path(new Path(dir, part), SUMMARY);
        if (fs.exists(summary)) {
          texts.put(part, readText(summary, conf));
        } else if (fs.exists(new Path(dir, part))) {
          absent.put(part, "the " + part + " folder has no summary.json (the part has not finished)");
        } else {
          absent.put(part, "this study has no " + part + " part");
        }
      }
      Path study = new Path(dir, SUMMARY);
      StudyResult studyResult = fs.exists(study) ? ResultJson.read(readText(study, conf), StudyResult.class) : null;
      return new StudyOutputs(studyResult,
          texts.containsKey("spectrum") ? ResultJson.read(texts.get("spectrum"), SpectrumResult.class) : null,
          texts.containsKey("sweep") ? ResultJson.read(texts.get("sweep"), SweepResult.class) : null,
          texts.containsKey("train") ? ResultJson.read(texts.get("train"), TrainResult.class) : null,
          texts.containsKey("influence") ? ResultJson.read(texts.get("influence"), InfluenceResult.class) : null,
          absent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the results of " + studyDir + ": " + e.getMessage(), e);
    }
  }

  private static String readText(Path p, Configuration conf) {
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
