package org.ntkstudy.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.robustness.RobustnessJob;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.report.StudyReport;
import org.ntkstudy.results.ClaimVerdicts;
import org.ntkstudy.results.PartStatus;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.Results;
import org.ntkstudy.results.StudyOutputs;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.results.Verdicts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code study} job: spectrum → sweep → train → influence (→ robustness, when listed in {@code
 * parts}) for one study configuration, every
 * part in its own subfolder of one output folder, then the HTML report, and one manifest for the
 * whole (each part's folder keeps its own manifest, with the fingerprint of its settings). With
 * {@code resume}, an unfinished run of the same {@code --out} is continued: a finished part whose
 * settings are unchanged is kept, one whose settings changed is recomputed (the log names the
 * changes), the grids keep their finished cells computed with the same settings, and the final
 * outputs equal an uninterrupted run's byte for byte.
 */
public final class StudyJob {
  private static final Logger LOG = LoggerFactory.getLogger(StudyJob.class);

  /** The parts a study runs unless its {@code parts} says otherwise, in the order they run. */
  public static final List<String> PARTS = Results.PARTS;

  /** Parts a study runs only when its {@code parts} lists them, after the others: the robustness map (SCIENCE §7). */
  public static final List<String> OPTIONAL_PARTS = List.of("robustness");

  /** Every part, in the order they run. */
  public static final List<String> ALL_PARTS = java.util.stream.Stream.concat(PARTS.stream(),
      OPTIONAL_PARTS.stream()).toList();

  /**
   * The study's configuration: its settings (for the record) and each part's configuration (null:
   * the part is not run); the parts' own {@code out} is replaced by a subfolder of {@code out}.
   *
   * @param failAfterBlocks test only: fail once this many sweep or training cells have finished in this
   *     JVM (0: never)
   */
  public record Config(String name, Map<String, String> settings, String out, boolean overwrite, boolean resume,
      SpectrumJob.Config spectrum, WidthSweepJob.Config sweep, TrainJob.Config train, InfluenceJob.Config influence,
      RobustnessJob.Config robustness, int failAfterBlocks) {

    /** A study without the optional robustness part. */
    public Config(String name, Map<String, String> settings, String out, boolean overwrite, boolean resume,
        SpectrumJob.Config spectrum, WidthSweepJob.Config sweep, TrainJob.Config train, InfluenceJob.Config influence,
        int failAfterBlocks) {
      this(name, settings, out, overwrite, resume, spectrum, sweep, train, influence, null, failAfterBlocks);
    }
  }

  /**
   * What the study produced.
   *
   * @param out the study folder
   * @param result the contents of its summary.json (what was done with each part); the parts'
   *     results are read with {@link Results#read(String, org.apache.hadoop.conf.Configuration)}
   * @param report the HTML report
   */
  public record Result(Path out, StudyResult result, Path report) {}

  private final Config config;

  public StudyJob(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    var conf = spark.sparkContext().hadoopConfiguration();
    RunOutput output = config.resume() ? RunOutput.resume(config.out(), conf)
        : RunOutput.open(config.out(), config.overwrite(), conf);
    output.resumable();
    String root = output.rootUri();
    long t0 = System.nanoTime();
    Map<String, PartStatus> parts = new LinkedHashMap<>();
    for (String part : ALL_PARTS) {
      if (partConfig(part) == null) {
        if (!OPTIONAL_PARTS.contains(part)) {
          parts.put(part, new PartStatus(null, PartStatus.NOT_RUN, null));
        }
        continue;
      }
      String partOut = root + "/" + part;
      InfluenceJob.Config influence = null;
      String networks = null;
      if (part.equals("influence")) {
        influence = config.influence().withOut(partOut, false);
        String reuse = reusableTraining(config.train(), influence);
        if (reuse == null && config.train() != null) {
          influence = influence.withTrainDir(root + "/train");
          networks = "read from the train part (same data, width, sigma0 and optimizer)";
        } else {
          networks = reuse == null ? "from --train-dir" : "trained by the influence part: " + reuse;
        }
      }
      Fingerprint wanted = switch (part) {
        case "spectrum" -> config.spectrum().fingerprint();
        case "sweep" -> config.sweep().fingerprint();
        case "train" -> config.train().fingerprint();
        case "robustness" -> config.robustness().fingerprint();
        default -> influence.fingerprint(conf);
      };
      Fingerprint finished = RunOutput.finishedFingerprint(partOut, conf);
      if (wanted.equals(finished)) {
        LOG.info("study {}: part {} already finished with these settings, kept", config.name(), part);
        RunOutput.discardCellStore(partOut, conf); // left by a run killed right after the part's commit
        parts.put(part, new PartStatus(networks, PartStatus.KEPT, null));
        continue;
      }
      boolean redo = finished != null;
      if (redo) {
        LOG.info("study {}: part {} finished with other settings, recomputed; changed: {}", config.name(), part,
            String.join("; ", wanted.changesFrom(finished)));
      }
      KillPoints.reach("before part " + part);
      long p0 = System.nanoTime();
      LOG.info("study {}: part {} -> {}", config.name(), part, partOut);
      boolean resumePart = config.resume() && !redo;
      switch (part) {
        case "spectrum" -> {
          RunOutput.discardUnfinished(partOut, conf);
          new SpectrumJob(config.spectrum().withOut(partOut, redo)).run(spark);
        }
        case "sweep" -> new WidthSweepJob(config.sweep().withOut(partOut, redo)).resume(resumePart)
            .failAfterCells(config.failAfterBlocks()).run(spark);
        case "train" -> new TrainJob(config.train().withOut(partOut, redo)).resume(resumePart)
            .failAfterCells(config.failAfterBlocks()).run(spark);
        case "robustness" -> {
          RobustnessJob.Result r = new RobustnessJob(config.robustness().withOut(partOut, redo)).resume(resumePart)
              .run(spark);
          r.result().claims().forEach((claim, c) -> LOG.info("study {}: robustness of {}: {}", config.name(), claim,
              c.sentence()));
        }
        default -> new InfluenceJob(influence.withOut(partOut, redo)).resume(resumePart)
            .failAfterCells(config.failAfterBlocks()).run(spark);
      }
      parts.put(part, new PartStatus(networks, redo ? PartStatus.RECOMPUTED : PartStatus.RUN,
          (System.nanoTime() - p0) / 1e9));
    }

    // The verdicts on the paper's claims (SCIENCE §7) from the parts' own results, written before
    // the report so that the report shows them as the study recorded them.
    StudyOutputs outputs = Results.read(root, conf);
    Verdicts verdicts = ClaimVerdicts.study(outputs.spectrum(), outputs.sweep(), outputs.influence());
    verdicts.byKey().forEach((key, v) -> LOG.info("study {}: {}: {}", config.name(), key, v.sentence()));
    StudyResult result = new StudyResult(StudyResult.JOB, config.name(), config.settings(), parts, verdicts,
        "report/report.html", (System.nanoTime() - t0) / 1e9,
        Provenance.record(spark, new LinkedHashMap<>(config.settings()), 0));
    ResultJson.writeSummary(output, result);
    KillPoints.reach("before report");
    StudyReport.write(spark, root, output.target().toString());
    Path done = output.fingerprint(Fingerprint.of(config.settings())).commit();
    Path finalReport = new Path(done, "report/report.html");
    LOG.info("study {} written to {}; report {}", config.name(), done, finalReport);
    return new Result(done, result, finalReport);
  }

  private Object partConfig(String part) {
    return switch (part) {
      case "spectrum" -> config.spectrum();
      case "sweep" -> config.sweep();
      case "train" -> config.train();
      case "robustness" -> config.robustness();
      default -> config.influence();
    };
  }

  /**
   * Null when the influence part can read its networks from the train part (same dataset
   * options, and the train grid holds its width, σ0, optimiser and enough seeds); else why not.
   */
  static String reusableTraining(TrainJob.Config train, InfluenceJob.Config infl) {
    if (train == null) {
      return "no train part";
    }
    if (infl.trainDir() != null) {
      return "--train-dir given";
    }
    if (infl.retrain()) {
      return "--retrain needs the initialisation";
    }
    if (!train.data().equals(infl.data())) {
      return "the train part uses other data options";
    }
    if (!train.widths().contains(infl.width()) || !train.sigma0s().contains(infl.sigma0())
        || !train.optimizers().contains(infl.optimizer()) || train.seeds() < infl.seeds()
        || train.symmetric() != infl.symmetric() || !train.models().containsAll(infl.models())) {
      return "the train grid does not hold width " + infl.width() + ", sigma0 " + infl.sigma0() + ", "
          + infl.optimizer() + " for " + infl.seeds() + " seeds of " + infl.models();
    }
    return null;
  }
}
