package org.ntkstudy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkstudy.UserInputException;
import org.ntkstudy.jobs.StudyJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code study}: the whole study for one configuration ({@code conf/studies/NAME.properties}).
 *
 * <p>A study file holds the parts' own command-line options as {@code key = value}: a key without
 * a dot applies to every part that has that option ({@code n = 1000} is {@code --n 1000} for each),
 * {@code part.key} to one part only and wins over the common key ({@code sweep.widths = 16,64}).
 * {@code parts} lists the parts to run. Any setting can be overridden on the command line, as
 * {@code --set key=value} or a bare {@code key=value}.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Runs spectrum -> sweep -> train -> influence (-> robustness when listed in parts) for one study"
        + " configuration"
        + " (conf/studies/NAME.properties), every part under one output folder with one manifest, and writes the"
        + " HTML report (report/report.html).")
public final class StudyCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "NAME|FILE",
      description = "a study in conf/studies (tiny, fashion-mnist-quick, fashion-mnist-paper, mnist-paper,"
          + " cifar10-paper, claims, claims-quick) or a .properties file")
  String study;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "the study's output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing --out (kept until the new one is complete)")
  boolean overwrite;

  @Option(names = "--resume", description = "continue an unfinished run of the same --out: finished parts and"
      + " finished grid cells computed with the same settings are kept, the rest recomputed")
  boolean resume;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of the study file")
  List<String> sets = new ArrayList<>();

  @Parameters(paramLabel = "KEY=VALUE", description = "more overrides, as --set")
  List<String> bare = new ArrayList<>();

  @Option(names = "--fail-after-blocks", hidden = true, defaultValue = "0",
      description = "test only: fail once this many training cells have finished")
  int failAfterBlocks;

  /** Keys of the study itself, not passed to the parts. */
  static final List<String> STUDY_KEYS = List.of("parts", "description");

  @Override
  public Integer call() {
    StudyJob.Config config = config();
    return Cli.withSpark("study", spark -> {
      StudyJob.Result r = new StudyJob(config).run(spark);
      System.out.println();
      System.out.println("Study:   " + config.name());
      System.out.println("Results: " + r.out());
      System.out.println("Report:  " + r.report());
    });
  }

  /** The configuration of study {@code study} with {@code overrides} (KEY=VALUE), as the command builds it. */
  public static StudyJob.Config configFor(String study, String out, boolean overwrite, boolean resume,
      List<String> overrides, int failAfterBlocks) {
    StudyCommand c = new StudyCommand();
    c.study = study;
    c.out = out;
    c.overwrite = overwrite;
    c.resume = resume;
    c.sets = new ArrayList<>(overrides);
    c.failAfterBlocks = failAfterBlocks;
    return c.config();
  }

  StudyJob.Config config() {
    if (resume && overwrite) {
      throw new UserInputException("--resume continues an unfinished --out and --overwrite replaces a finished one:"
          + " give one of them");
    }
    Map<String, String> settings = load(study);
    List<String> overrides = new ArrayList<>(sets);
    overrides.addAll(bare);
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UserInputException("override '" + kv + "' is not KEY=VALUE (e.g. --set sweep.widths=16,64)");
      }
      settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    List<String> parts = List.of(settings.getOrDefault("parts", String.join(",", StudyJob.PARTS)).split(","))
        .stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    for (String p : parts) {
      if (!StudyJob.ALL_PARTS.contains(p)) {
        throw new UserInputException("study " + study + ": parts has '" + p + "', expected some of "
            + StudyJob.ALL_PARTS);
      }
    }
    validateKeys(settings);
    return new StudyJob.Config(name(study), settings, out, overwrite, resume,
        parts.contains("spectrum") ? parse(new SpectrumCommand(), "spectrum", settings).config() : null,
        parts.contains("sweep") ? parse(new SweepCommand(), "sweep", settings).config() : null,
        parts.contains("train") ? parse(new TrainCommand(), "train", settings).config() : null,
        parts.contains("influence") ? parse(new InfluenceCommand(), "influence", settings).config() : null,
        parts.contains("robustness") ? parse(new RobustnessCommand(), "robustness", settings).config() : null,
        failAfterBlocks);
  }

  static String name(String study) {
    String n = Path.of(study).getFileName().toString();
    return n.endsWith(".properties") ? n.substring(0, n.length() - ".properties".length()) : n;
  }

  /**
   * The settings of study {@code study}, in file order: a file path, else
   * {@code <ntk.conf.dir>/studies/NAME.properties}, else the copy bundled in the jar.
   */
  static Map<String, String> load(String study) {
    Path file = Path.of(study);
    String confDir = System.getProperty("ntk.conf.dir");
    Path inConf = confDir == null ? null : Path.of(confDir, "studies", study + ".properties");
    try {
      if (Files.isRegularFile(file)) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          return parseProperties(r, file.toString());
        }
      }
      if (inConf != null && Files.isRegularFile(inConf)) {
        try (Reader r = Files.newBufferedReader(inConf, StandardCharsets.UTF_8)) {
          return parseProperties(r, inConf.toString());
        }
      }
      InputStream in = StudyCommand.class.getResourceAsStream("/studies/" + study + ".properties");
      if (in != null) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
          return parseProperties(r, "studies/" + study + ".properties (bundled)");
        }
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read study " + study + ": " + e.getMessage(), e);
    }
    throw new UserInputException("no study '" + study + "': give a .properties file or one of tiny,"
        + " fashion-mnist-quick, fashion-mnist-paper, mnist-paper, cifar10-paper, claims, claims-quick (conf/studies)");
  }

  /** {@code key = value} lines, {@code #} comments; order kept; a repeated key is an error. */
  static Map<String, String> parseProperties(Reader reader, String source) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : new java.io.BufferedReader(reader).lines().toList()) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq <= 0) {
        throw new UserInputException(source + " line " + lineNo + ": expected key = value, got '" + t + "'");
      }
      String key = t.substring(0, eq).strip();
      if (out.put(key, t.substring(eq + 1).strip()) != null) {
        throw new UserInputException(source + " line " + lineNo + ": " + key + " is set twice");
      }
    }
    return out;
  }

  /** Every key must name an option of some part (or of the named part). */
  static void validateKeys(Map<String, String> settings) {
    Map<String, CommandLine> parts = new LinkedHashMap<>();
    parts.put("spectrum", new CommandLine(new SpectrumCommand()));
    parts.put("sweep", new CommandLine(new SweepCommand()));
    parts.put("train", new CommandLine(new TrainCommand()));
    parts.put("influence", new CommandLine(new InfluenceCommand()));
    parts.put("robustness", new CommandLine(new RobustnessCommand()));
    for (String key : settings.keySet()) {
      if (STUDY_KEYS.contains(key)) {
        continue;
      }
      int dot = key.indexOf('.');
      if (dot > 0) {
        String part = key.substring(0, dot);
        CommandLine cl = parts.get(part);
        if (cl == null) {
          throw new UserInputException("setting '" + key + "': no part '" + part + "' (parts: " + StudyJob.ALL_PARTS
              + ")");
        }
        if (cl.getCommandSpec().findOption("--" + key.substring(dot + 1)) == null || reserved(key.substring(dot + 1))) {
          throw new UserInputException("setting '" + key + "': the " + part + " part has no option --"
              + key.substring(dot + 1) + " (see submit/local.sh " + part + " --help)");
        }
      } else if (reserved(key) || parts.values().stream().noneMatch(cl -> cl.getCommandSpec().findOption("--" + key) != null)) {
        throw new UserInputException("setting '" + key + "': no part has an option --" + key);
      }
    }
  }

  /** Options the study sets itself. */
  private static boolean reserved(String option) {
    return List.of("out", "overwrite", "resume", "help", "version").contains(option);
  }

  /** Parses the part's options from the settings into {@code command}. */
  static <T> T parse(T command, String part, Map<String, String> settings) {
    CommandLine cl = new CommandLine(command);
    Map<String, String> effective = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      if (!STUDY_KEYS.contains(key) && key.indexOf('.') < 0 && cl.getCommandSpec().findOption("--" + key) != null) {
        effective.put(key, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (e.getKey().startsWith(part + ".")) {
        effective.put(e.getKey().substring(part.length() + 1), e.getValue());
      }
    }
    List<String> args = new ArrayList<>(List.of("--out", "study-part", "--npy"));
    for (Map.Entry<String, String> e : effective.entrySet()) {
      OptionSpec o = cl.getCommandSpec().findOption("--" + e.getKey());
      if (o.arity().max() == 0) {
        String v = e.getValue().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
          throw new UserInputException("setting " + part + "." + e.getKey() + " is a switch: true or false, not '"
              + e.getValue() + "'");
        }
        if (v.equals("true")) {
          args.add("--" + e.getKey());
        }
      } else {
        args.add("--" + e.getKey());
        args.add(e.getValue());
      }
    }
    try {
      cl.parseArgs(args.toArray(new String[0]));
    } catch (CommandLine.ParameterException e) {
      throw new UserInputException("study settings for the " + part + " part: " + e.getMessage());
    }
    return command;
  }
}
