package org.ntkstudy.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit/standalone.sh, submit/yarn.sh, submit/emr.sh and submit/dataproc.sh: each runs through
 * bash with fake cluster settings, and the printed command is parsed back into words by bash itself
 * (so it is checked to be valid, copy-pasteable shell). The command must name the right program,
 * cluster and class, carry every setting of conf/spark-defaults.conf and conf/cluster.conf (read
 * here with java.util.Properties, as spark-submit reads a properties file; EMR and Dataproc without
 * the Java module options, Dataproc Serverless without YARN's), the --conf's given to the script
 * over them, the S3A magic committer only with --hadoop-cloud, and pass the job's arguments
 * through unchanged and in order. Fake aws / gcloud / spark-submit / mvn first on PATH record any
 * call: --dry-run must call none, and a real run must call the program with exactly the printed
 * words.
 */
class SubmitScriptsTest {
  static final String JAR_NAME = "ntk-attention-0.1.0-SNAPSHOT.jar";
  static final String EMR_JAR = "s3://bucket/jars/" + JAR_NAME;
  static final String GCS_JAR = "gs://bucket/jars/" + JAR_NAME;
  /** Job arguments with URIs, a comma, blanks, quotes and shell metacharacters: all verbatim. */
  static final List<String> JOB = List.of(
      "spectrum", "--dataset", "table", "--data", "s3a://bucket/data", "--test-data",
      "s3a://bucket/my data/test", "--classes", "0,6", "--label-column", "it's a \"label\" $HOME `id` *",
      "--seed", "-1", "--out", "gs://bucket/out", "--overwrite");
  static final String[] PROGRAMS = {"aws", "gcloud", "spark-submit", "mvn"};

  static Path root;
  static Map<String, String> defaults;
  static Map<String, String> cluster;
  /** Every setting a cluster run gets: spark-defaults.conf, then cluster.conf over it. */
  static Map<String, String> expected;
  /** What EMR and a Dataproc cluster get: {@link #expected} without the Java module options. */
  static Map<String, String> managed;
  /** conf/hadoop-cloud.conf: the committer --hadoop-cloud adds. */
  static Map<String, String> hadoopCloud;
  static final List<String> MODULE_KEYS = List.of("spark.driver.defaultJavaOptions", "spark.executor.defaultJavaOptions");

  @TempDir Path tmp;
  Path bin;
  Path markers;

  record Run(int code, String out, String err) {
    String describe() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  static void readConfs() throws IOException {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("submit")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("no project root (pom.xml and submit/) above " + System.getProperty("user.dir"));
    }
    root = dir;
    defaults = readConf(root.resolve("conf/spark-defaults.conf"));
    cluster = readConf(root.resolve("conf/cluster.conf"));
    expected = new TreeMap<>(defaults);
    expected.putAll(cluster);
    managed = new TreeMap<>(expected);
    MODULE_KEYS.forEach(managed::remove);
    hadoopCloud = readConf(root.resolve("conf/hadoop-cloud.conf"));
    assertTrue(cluster.get("spark.driver.defaultJavaOptions").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"),
        "cluster.conf carries Spark's --add-opens list for the driver");
    assertTrue(cluster.get("spark.executor.defaultJavaOptions").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"),
        "and for the executors");
    assertFalse(expected.containsKey("spark.sql.sources.commitProtocolClass"),
        "no committer that needs spark-hadoop-cloud by default");
    assertEquals("org.apache.spark.internal.io.cloud.PathOutputCommitProtocol",
        hadoopCloud.get("spark.sql.sources.commitProtocolClass"));
    assertFalse(defaults.isEmpty(), "conf/spark-defaults.conf has settings");
    assertFalse(cluster.isEmpty(), "conf/cluster.conf has settings");
  }

  /** A Spark properties file as spark-submit reads it (java.util.Properties, values trimmed). */
  static Map<String, String> readConf(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return m;
  }

  @BeforeEach
  void fakePrograms() throws IOException {
    bin = Files.createDirectories(tmp.resolve("bin"));
    markers = Files.createDirectories(tmp.resolve("markers"));
    for (String name : PROGRAMS) {
      Path fake = bin.resolve(name);
      Files.writeString(fake, "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > \"$NTK_TEST_MARKERS/" + name + "\"\n");
      fake.toFile().setExecutable(true);
    }
  }

  // ------------------------------------------------------------------------------- running

  Run run(Path script, Map<String, String> env, Path cwd, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("NTK_") || k.equals("SPARK_HOME") || k.equals("SPARK_SUBMIT"));
    e.put("PATH", bin + ":" + System.getenv("PATH"));
    e.put("NTK_TEST_MARKERS", markers.toString());
    e.putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  Run run(String script, Map<String, String> env, String... args) throws Exception {
    return run(root.resolve("submit").resolve(script), env, root, List.of(args));
  }

  static List<String> withJob(String... before) {
    List<String> a = new ArrayList<>(Arrays.asList(before));
    a.addAll(JOB);
    return a;
  }

  /** The words bash makes of a printed command: proves it is valid, copy-pasteable shell. */
  static List<String> words(String printed) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "_", printed);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "bash cannot parse the printed command:\n" + printed + "\n" + out);
    assertTrue(out.isEmpty() || out.endsWith("\0"), out);
    return out.isEmpty() ? List.of() : List.of(out.substring(0, out.length() - 1).split("\0", -1));
  }

  /** The fake program's recorded arguments, or null when it was not called. */
  List<String> called(String program) throws IOException {
    Path f = markers.resolve(program);
    if (!Files.exists(f)) {
      return null;
    }
    String s = Files.readString(f);
    return s.isEmpty() ? List.of() : List.of(s.substring(0, s.length() - 1).split("\0", -1));
  }

  void assertNothingCalled() throws IOException {
    try (Stream<Path> s = Files.list(markers)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "programs called");
    }
  }

  static void assertOneLineError(Run r, String... mentions) {
    assertNotEquals(0, r.code(), r.describe());
    assertEquals("", r.out(), r.describe());
    String err = r.err().strip();
    assertFalse(err.isEmpty() || err.contains("\n"), "one line: " + r.describe());
    for (String m : mentions) {
      assertTrue(err.contains(m), "mentions " + m + ": " + r.describe());
    }
  }

  static void assertSettings(Map<String, String> actual, Map<String, String> want, String what) {
    for (Map.Entry<String, String> e : want.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), what + ": " + e.getKey() + " in " + actual);
    }
  }

  static Map.Entry<String, String> keyValue(String kv) {
    int eq = kv.indexOf('=');
    assertTrue(eq > 0, "key=value: " + kv);
    return Map.entry(kv.substring(0, eq), kv.substring(eq + 1));
  }

  // ------------------------------------------------------------------------------- parsing

  /** spark-submit words: its options (each with a value), the --conf's, the jar, the job arguments. */
  record SparkSubmit(List<String[]> options, Map<String, String> confs, String jar, List<String> jobArgs) {
    String option(String name) {
      String v = null;
      for (String[] o : options) {
        if (o[0].equals(name)) {
          assertEquals(null, v, "one " + name);
          v = o[1];
        }
      }
      return v;
    }
  }

  static SparkSubmit sparkSubmit(List<String> args) {
    List<String[]> options = new ArrayList<>();
    Map<String, String> confs = new LinkedHashMap<>();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      assertTrue(i + 1 < args.size(), "value for " + args.get(i));
      options.add(new String[] {args.get(i), args.get(i + 1)});
      if (args.get(i).equals("--conf")) {
        Map.Entry<String, String> kv = keyValue(args.get(i + 1));
        assertFalse(confs.containsKey(kv.getKey()), "one --conf " + kv.getKey());
        confs.put(kv.getKey(), kv.getValue());
      }
      i += 2;
    }
    assertTrue(i < args.size(), "a jar after the options: " + args);
    return new SparkSubmit(options, confs, args.get(i), args.subList(i + 1, args.size()));
  }

  /** gcloud's --properties: comma-separated key=value, or ^D^-prefixed and split on D. */
  static Map<String, String> gcloudDict(String value) {
    String delim = ",";
    if (value.startsWith("^") && value.indexOf('^', 1) > 1) {
      delim = value.substring(1, value.indexOf('^', 1));
      value = value.substring(value.indexOf('^', 1) + 1);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String item : value.split(Pattern.quote(delim), -1)) {
      Map.Entry<String, String> kv = keyValue(item);
      assertFalse(m.containsKey(kv.getKey()), "one " + kv.getKey());
      m.put(kv.getKey(), kv.getValue());
    }
    return m;
  }

  record Gcloud(Map<String, String> flags, List<String> jobArgs) {}

  static Gcloud gcloud(List<String> w) {
    assertEquals(List.of("gcloud", "dataproc", "jobs", "submit", "spark"), w.subList(0, 5), w.toString());
    return gcloudFlags(w);
  }

  /** gcloud dataproc batches submit spark: a Serverless batch. */
  static Gcloud gcloudBatch(List<String> w) {
    assertEquals(List.of("gcloud", "dataproc", "batches", "submit", "spark"), w.subList(0, 5), w.toString());
    return gcloudFlags(w);
  }

  static Gcloud gcloudFlags(List<String> w) {
    Map<String, String> flags = new LinkedHashMap<>();
    int i = 5;
    while (!w.get(i).equals("--")) {
      String f = w.get(i);
      assertTrue(f.startsWith("--") && f.contains("="), "--flag=value: " + f);
      Map.Entry<String, String> kv = keyValue(f);
      assertFalse(flags.containsKey(kv.getKey()), "one " + kv.getKey());
      flags.put(kv.getKey(), kv.getValue());
      i++;
    }
    return new Gcloud(flags, w.subList(i + 1, w.size()));
  }

  /** The single Spark step of an `aws emr add-steps ... --steps JSON` command. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> emrStep(List<String> w, String clusterId) throws IOException {
    assertEquals(7, w.size(), w.toString());
    assertEquals(List.of("aws", "emr", "add-steps", "--cluster-id", clusterId, "--steps"), w.subList(0, 6));
    List<Object> steps = new ObjectMapper().readValue(w.get(6), List.class);
    assertEquals(1, steps.size(), w.get(6));
    Map<String, Object> step = (Map<String, Object>) steps.get(0);
    assertEquals("Spark", step.get("Type"));
    assertEquals("CONTINUE", step.get("ActionOnFailure"));
    assertTrue(step.get("Name") instanceof String s && !s.isBlank(), "a step name");
    return step;
  }

  @SuppressWarnings("unchecked")
  static List<String> stepArgs(Map<String, Object> step) {
    return (List<String>) step.get("Args");
  }

  // ------------------------------------------------------------------------------- yarn.sh

  @Test
  void yarnDryRunPrintsTheFullSparkSubmitAndRunsNothing() throws Exception {
    Run r = run("yarn.sh", Map.of(), withJob("--dry-run").toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertNothingCalled(); // neither spark-submit nor a build
    List<String> w = words(r.out());
    assertEquals("spark-submit", w.get(0));
    SparkSubmit s = sparkSubmit(w.subList(1, w.size()));
    assertEquals("yarn", s.option("--master"));
    assertEquals("cluster", s.option("--deploy-mode"));
    assertEquals("org.ntkstudy.launch.Launcher", s.option("--class"));
    Path props = Path.of(s.option("--properties-file"));
    assertTrue(props.isAbsolute(), props.toString());
    assertEquals(root.resolve("conf/spark-defaults.conf").toRealPath(), props.toRealPath());
    // What Spark ends up with: the properties file, with the --conf's over it.
    Map<String, String> effective = new HashMap<>(readConf(props));
    effective.putAll(s.confs());
    assertSettings(effective, expected, "yarn.sh settings");
    assertSettings(s.confs(), cluster, "yarn.sh --conf from cluster.conf");
    assertEquals(root.resolve("target").resolve(JAR_NAME).toString(), s.jar());
    assertEquals(JOB, s.jobArgs());
  }

  @Test
  void yarnHonoursDeployModeAndSparkSubmitAndDryRunAnywhereBeforeTheJob() throws Exception {
    Run r = run("yarn.sh", Map.of("NTK_DEPLOY_MODE", "client", "SPARK_SUBMIT", "/opt/spark 3.5/bin/spark-submit"),
        "--dry-run", "--dry-run", "train", "--profile", "quick", "--dry-run");
    assertEquals(0, r.code(), r.describe());
    List<String> w = words(r.out());
    assertEquals("/opt/spark 3.5/bin/spark-submit", w.get(0));
    SparkSubmit s = sparkSubmit(w.subList(1, w.size()));
    assertEquals("client", s.option("--deploy-mode"));
    // after JOB, --dry-run belongs to the job
    assertEquals(List.of("train", "--profile", "quick", "--dry-run"), s.jobArgs());

    r = run("yarn.sh", Map.of("SPARK_HOME", "/opt/spark"), "--dry-run", "kernel");
    assertEquals(0, r.code(), r.describe());
    assertEquals("/opt/spark/bin/spark-submit", words(r.out()).get(0));
    assertNothingCalled();

    assertOneLineError(run("yarn.sh", Map.of("NTK_DEPLOY_MODE", "local"), "--dry-run", "kernel"), "NTK_DEPLOY_MODE");
  }

  @Test
  void yarnRunExecutesExactlyThePrintedCommand() throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "not really a jar");
    Run r = run("yarn.sh", Map.of("NTK_JAR", jar.toString()), JOB.toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertEquals("", r.out(), "the command goes to stderr");
    List<String> printed = words(r.err());
    assertEquals("spark-submit", printed.get(0));
    assertEquals(printed.subList(1, printed.size()), called("spark-submit"));
    assertEquals(null, called("mvn"), "the jar exists: no build");
    SparkSubmit s = sparkSubmit(printed.subList(1, printed.size()));
    assertEquals(jar.toString(), s.jar());
    assertEquals(JOB, s.jobArgs());
  }

  // ------------------------------------------------------------------------------- emr.sh

  @Test
  void emrDryRunPrintsOneSparkStepWithEverySetting() throws Exception {
    Run r = run("emr.sh", Map.of("NTK_EMR_CLUSTER_ID", "j-TESTCLUSTER", "NTK_JAR_URI", EMR_JAR),
        withJob("--dry-run").toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertNothingCalled();
    Map<String, Object> step = emrStep(words(r.out()), "j-TESTCLUSTER");
    SparkSubmit s = sparkSubmit(stepArgs(step));
    assertEquals("cluster", s.option("--deploy-mode"));
    assertEquals("org.ntkstudy.launch.Launcher", s.option("--class"));
    assertEquals(null, s.option("--properties-file"), "the step has no local file to read");
    assertSettings(s.confs(), managed, "emr.sh --conf");
    for (String k : MODULE_KEYS) {
      assertFalse(s.confs().containsKey(k), "EMR keeps its own " + k);
    }
    assertFalse(s.confs().containsKey("spark.sql.sources.commitProtocolClass"), "EMR keeps its own committers");
    assertFalse(s.confs().containsKey("spark.hadoop.fs.s3a.committer.name"), "EMR keeps its own committers");
    assertEquals(EMR_JAR, s.jar());
    assertEquals(JOB, s.jobArgs());
  }

  @Test
  void emrRunCallsAwsWithExactlyThePrintedArguments() throws Exception {
    Run r = run("emr.sh", Map.of("NTK_EMR_CLUSTER_ID", "j-TESTCLUSTER", "NTK_JAR_URI", EMR_JAR, "NTK_DEPLOY_MODE", "client"),
        JOB.toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertEquals("", r.out(), "the command goes to stderr");
    List<String> printed = words(r.err());
    assertEquals("aws", printed.get(0));
    assertEquals(printed.subList(1, printed.size()), called("aws"));
    SparkSubmit s = sparkSubmit(stepArgs(emrStep(printed, "j-TESTCLUSTER")));
    assertEquals("client", s.option("--deploy-mode"));
    assertEquals(JOB, s.jobArgs());
  }

  @Test
  void emrNeedsItsVariables() throws Exception {
    assertOneLineError(run("emr.sh", Map.of("NTK_JAR_URI", EMR_JAR), "--dry-run", "spectrum"), "NTK_EMR_CLUSTER_ID");
    assertOneLineError(run("emr.sh", Map.of("NTK_JAR_URI", EMR_JAR), "spectrum"), "NTK_EMR_CLUSTER_ID");
    // not a dry run: the jar must be on S3, and the message says how to put it there
    assertOneLineError(run("emr.sh", Map.of("NTK_EMR_CLUSTER_ID", "j-X"), "spectrum"), "NTK_JAR_URI", "aws s3 cp");
    assertOneLineError(run("emr.sh", Map.of("NTK_EMR_CLUSTER_ID", "j-X", "NTK_JAR_URI", "/tmp/x.jar"), "spectrum"),
        "NTK_JAR_URI");
    assertNothingCalled();
    // a dry run without NTK_JAR_URI shows a placeholder and says so on stderr
    Run r = run("emr.sh", Map.of("NTK_EMR_CLUSTER_ID", "j-X"), "--dry-run", "spectrum");
    assertEquals(0, r.code(), r.describe());
    assertTrue(r.err().contains("NTK_JAR_URI"), r.describe());
    assertTrue(sparkSubmit(stepArgs(emrStep(words(r.out()), "j-X"))).jar().startsWith("s3://"));
  }

  // ------------------------------------------------------------------------------- dataproc.sh

  static final Map<String, String> DATAPROC_ENV = Map.of(
      "NTK_DATAPROC_CLUSTER", "test-cluster", "NTK_DATAPROC_REGION", "europe-west1", "NTK_JAR_URI", GCS_JAR,
      "NTK_DATAPROC_JAVA", "17");
  static final Map<String, String> SERVERLESS_ENV = Map.of("NTK_DATAPROC_REGION", "europe-west1", "NTK_JAR_URI", GCS_JAR);

  @Test
  void dataprocDryRunPrintsTheGcloudCommandWithEverySetting() throws Exception {
    Run r = run("dataproc.sh", DATAPROC_ENV, withJob("--dry-run").toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertNothingCalled();
    Gcloud g = gcloud(words(r.out()));
    assertEquals("test-cluster", g.flags().get("--cluster"));
    assertEquals("europe-west1", g.flags().get("--region"));
    assertEquals("org.ntkstudy.launch.Launcher", g.flags().get("--class"));
    assertEquals(GCS_JAR, g.flags().get("--jars"));
    Map<String, String> props = gcloudDict(g.flags().get("--properties"));
    assertSettings(props, managed, "dataproc.sh --properties");
    MODULE_KEYS.forEach(k -> assertFalse(props.containsKey(k), k));
    assertEquals("cluster", props.get("spark.submit.deployMode"));
    assertEquals(JOB, g.jobArgs());
  }

  @Test
  void dataprocRunCallsGcloudWithExactlyThePrintedArguments() throws Exception {
    Run r = run("dataproc.sh", DATAPROC_ENV, JOB.toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertEquals("", r.out(), "the command goes to stderr");
    List<String> printed = words(r.err());
    assertEquals(printed.subList(1, printed.size()), called("gcloud"));
    assertEquals(JOB, gcloud(printed).jobArgs());
  }

  @Test
  void dataprocNeedsItsVariables() throws Exception {
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.remove("NTK_DATAPROC_REGION");
    assertOneLineError(run("dataproc.sh", env, "kernel"), "NTK_DATAPROC_REGION");
    env = new HashMap<>(DATAPROC_ENV);
    env.remove("NTK_JAR_URI");
    assertOneLineError(run("dataproc.sh", env, "kernel"), "NTK_JAR_URI", "gcloud storage cp");
    // A cluster must run the jar on Java 17: stated, or the script refuses.
    env = new HashMap<>(DATAPROC_ENV);
    env.remove("NTK_DATAPROC_JAVA");
    assertOneLineError(run("dataproc.sh", env, "--dry-run", "kernel"), "Java 17", "Java 11", "NTK_DATAPROC_JAVA_HOME",
        "Serverless");
    env.put("NTK_DATAPROC_JAVA", "11");
    assertOneLineError(run("dataproc.sh", env, "--dry-run", "kernel"), "Java 17");
    env.put("NTK_DATAPROC_JAVA_HOME", "/usr/lib/jvm/java-17");
    env.put("NTK_DEPLOY_MODE", "client");
    assertOneLineError(run("dataproc.sh", env, "--dry-run", "kernel"), "NTK_DEPLOY_MODE=cluster");
    env.put("NTK_DATAPROC_JAVA_HOME", "jvm/java-17");
    env.remove("NTK_DEPLOY_MODE");
    assertOneLineError(run("dataproc.sh", env, "--dry-run", "kernel"), "absolute");
    // Serverless: runtime 1.2 only (2.x is Scala 2.13, 1.1 Java 11)
    for (String runtime : List.of("2.2", "1.1", "2.0")) {
      Map<String, String> sl = new HashMap<>(SERVERLESS_ENV);
      sl.put("NTK_DATAPROC_RUNTIME", runtime);
      assertOneLineError(run("dataproc.sh", sl, "--dry-run", "kernel"), "1.2", "Scala 2.13");
    }
    assertNothingCalled();
  }

  @Test
  void dataprocClusterWithAJava17HomeSetsItForTheDriverAndExecutors() throws Exception {
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.remove("NTK_DATAPROC_JAVA");
    env.put("NTK_DATAPROC_JAVA_HOME", "/usr/lib/jvm/temurin-17-jdk-amd64");
    Run r = run("dataproc.sh", env, "--dry-run", "kernel");
    assertEquals(0, r.code(), r.describe());
    Map<String, String> props = gcloudDict(gcloud(words(r.out())).flags().get("--properties"));
    assertEquals("/usr/lib/jvm/temurin-17-jdk-amd64", props.get("spark.yarn.appMasterEnv.JAVA_HOME"));
    assertEquals("/usr/lib/jvm/temurin-17-jdk-amd64", props.get("spark.executorEnv.JAVA_HOME"));
    assertEquals("cluster", props.get("spark.submit.deployMode"));
  }

  @Test
  void dataprocServerlessIsTheDefaultOnRuntime12WithoutYarnProperties() throws Exception {
    Run r = run("dataproc.sh", SERVERLESS_ENV, withJob("--dry-run").toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertNothingCalled();
    Gcloud g = gcloudBatch(words(r.out()));
    assertEquals("europe-west1", g.flags().get("--region"));
    assertEquals("1.2", g.flags().get("--version"));
    assertEquals(null, g.flags().get("--cluster"));
    assertEquals("org.ntkstudy.launch.Launcher", g.flags().get("--class"));
    assertEquals(GCS_JAR, g.flags().get("--jars"));
    Map<String, String> props = gcloudDict(g.flags().get("--properties"));
    Map<String, String> want = new TreeMap<>(managed);
    want.keySet().removeIf(k -> k.startsWith("spark.yarn."));
    assertSettings(props, want, "Serverless --properties");
    for (String k : props.keySet()) {
      assertFalse(k.startsWith("spark.yarn.") || k.equals("spark.submit.deployMode") || MODULE_KEYS.contains(k),
          "Serverless refuses or sets itself: " + k);
    }
    assertEquals(cluster.get("spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS"),
        props.get("spark.dataproc.driverEnv.OPENBLAS_NUM_THREADS"), "the driver's environment, Serverless's way");
    // Serverless's limits: 4, 8 or 16 cores, at most 7424m per core with the overhead.
    for (String who : List.of("driver", "executor")) {
      int cores = Integer.parseInt(props.get("spark." + who + ".cores"));
      assertTrue(List.of(4, 8, 16).contains(cores), who + " cores " + cores);
      long mb = megabytes(props.get("spark." + who + ".memory")) + megabytes(props.get("spark." + who + ".memoryOverhead"));
      assertTrue(mb >= 1024L * cores && mb <= 7424L * cores, who + ": " + mb + " MiB for " + cores + " cores");
    }
    assertEquals(JOB, g.jobArgs());

    Run real = run("dataproc.sh", SERVERLESS_ENV, JOB.toArray(String[]::new));
    assertEquals(0, real.code(), real.describe());
    List<String> printed = words(real.err());
    assertEquals(printed.subList(1, printed.size()), called("gcloud"));
  }

  static long megabytes(String jvmSize) {
    String v = jvmSize.toLowerCase();
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 'g' -> n * 1024;
      case 'm' -> n;
      default -> throw new AssertionError("size " + jvmSize);
    };
  }

  // ------------------------------------------------------------------------------- standalone.sh

  @Test
  void standaloneDryRunPrintsTheSparkSubmitForTheMaster() throws Exception {
    Run r = run("standalone.sh", Map.of("NTK_MASTER", "spark://master.example:7077"), withJob("--dry-run").toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    assertNothingCalled();
    List<String> w = words(r.out());
    assertEquals("spark-submit", w.get(0));
    SparkSubmit s = sparkSubmit(w.subList(1, w.size()));
    assertEquals("spark://master.example:7077", s.option("--master"));
    assertEquals("client", s.option("--deploy-mode"), "client by default: the driver's log on this terminal");
    assertEquals("org.ntkstudy.launch.Launcher", s.option("--class"));
    assertEquals(root.resolve("conf/spark-defaults.conf").toString(), s.option("--properties-file"));
    assertEquals(null, s.option("--packages"));
    assertSettings(s.confs(), cluster, "standalone.sh --conf from cluster.conf");
    assertEquals(root.resolve("target").resolve(JAR_NAME).toString(), s.jar());
    assertEquals(JOB, s.jobArgs());
  }

  /**
   * Cluster deploy mode: a Worker starts the driver with spark.driver.extraJavaOptions alone, so the
   * script puts Spark's --add-opens list (spark.driver.defaultJavaOptions) in front of it.
   */
  @Test
  void standaloneClusterModeGivesTheWorkerStartedDriverSparksModuleOptions() throws Exception {
    Run r = run("standalone.sh", Map.of("NTK_MASTER", "spark://m:7077", "NTK_DEPLOY_MODE", "cluster",
        "SPARK_HOME", "/opt/spark"), "--dry-run", "kernel");
    assertEquals(0, r.code(), r.describe());
    List<String> w = words(r.out());
    assertEquals("/opt/spark/bin/spark-submit", w.get(0));
    SparkSubmit s = sparkSubmit(w.subList(1, w.size()));
    assertEquals("cluster", s.option("--deploy-mode"));
    String extra = cluster.get("spark.driver.extraJavaOptions");
    assertEquals(cluster.get("spark.driver.defaultJavaOptions") + (extra == null ? "" : " " + extra),
        s.confs().get("spark.driver.extraJavaOptions"));
    // Nothing a Java 11 JVM refuses before the launcher can say it needs Java 17.
    assertFalse(cluster.values().stream().anyMatch(v -> v.contains("--enable-native-access")), cluster.toString());
    assertFalse(s.confs().containsKey("spark.driver.defaultJavaOptions"));
    assertEquals(cluster.get("spark.executor.defaultJavaOptions"), s.confs().get("spark.executor.defaultJavaOptions"));

    assertOneLineError(run("standalone.sh", Map.of(), "--dry-run", "kernel"), "NTK_MASTER");
    assertOneLineError(run("standalone.sh", Map.of("NTK_MASTER", "yarn"), "--dry-run", "kernel"), "spark://");
    assertOneLineError(run("standalone.sh", Map.of("NTK_MASTER", "spark://m:7077", "NTK_DEPLOY_MODE", "local"),
        "--dry-run", "kernel"), "NTK_DEPLOY_MODE");
    assertNothingCalled();
  }

  @Test
  void standaloneRunExecutesExactlyThePrintedCommand() throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "not really a jar");
    Run r = run("standalone.sh", Map.of("NTK_MASTER", "spark://m:7077", "NTK_JAR", jar.toString()), JOB.toArray(String[]::new));
    assertEquals(0, r.code(), r.describe());
    List<String> printed = words(r.err());
    assertEquals(printed.subList(1, printed.size()), called("spark-submit"));
    assertEquals(null, called("mvn"));
    assertEquals(jar.toString(), sparkSubmit(printed.subList(1, printed.size())).jar());
  }

  // ------------------------------------------------------------------------------- --conf, --hadoop-cloud

  @Test
  void confOptionsOverrideTheFilesInEveryScript() throws Exception {
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.put("NTK_EMR_CLUSTER_ID", "j-X");
    env.put("NTK_MASTER", "spark://m:7077");
    List<String> args = withJob("--dry-run", "--conf", "spark.executor.memory=3g", "--conf=spark.ntk.extra=a b=c");
    for (String script : List.of("standalone.sh", "yarn.sh", "emr.sh", "dataproc.sh")) {
      Map<String, String> e = new HashMap<>(env);
      if (script.equals("emr.sh")) {
        e.put("NTK_JAR_URI", EMR_JAR);
      }
      Run r = run(script, e, args.toArray(String[]::new));
      assertEquals(0, r.code(), script + ": " + r.describe());
      List<String> w = words(r.out());
      Map<String, String> confs = switch (script) {
        case "emr.sh" -> sparkSubmit(stepArgs(emrStep(w, "j-X"))).confs();
        case "dataproc.sh" -> gcloudDict(gcloud(w).flags().get("--properties"));
        default -> sparkSubmit(w.subList(1, w.size())).confs();
      };
      assertEquals("3g", confs.get("spark.executor.memory"), script);
      assertEquals("a b=c", confs.get("spark.ntk.extra"), script);
    }
  }

  @Test
  void hadoopCloudAddsThePackageAndTheMagicCommitterOnPlainSparkOnly() throws Exception {
    for (String script : List.of("standalone.sh", "yarn.sh")) {
      Map<String, String> env = Map.of("NTK_MASTER", "spark://m:7077");
      Run r = run(script, env, "--dry-run", "--hadoop-cloud", "kernel");
      assertEquals(0, r.code(), r.describe());
      List<String> w = words(r.out());
      SparkSubmit s = sparkSubmit(w.subList(1, w.size()));
      // 3.5.9 is not on Maven Central; 3.5.8 is, and works with Spark 3.5.9.
      assertEquals("org.apache.spark:spark-hadoop-cloud_2.12:3.5.8", s.option("--packages"), script);
      assertSettings(s.confs(), hadoopCloud, script + " --hadoop-cloud");

      r = run(script, env, "--dry-run", "--hadoop-cloud=3.5.1", "kernel");
      assertEquals(0, r.code(), r.describe());
      w = words(r.out());
      assertEquals("org.apache.spark:spark-hadoop-cloud_2.12:3.5.1", sparkSubmit(w.subList(1, w.size())).option("--packages"));
      assertOneLineError(run(script, env, "--dry-run", "--hadoop-cloud=latest", "kernel"), "--hadoop-cloud");

      r = run(script, env, "--dry-run", "kernel");
      w = words(r.out());
      s = sparkSubmit(w.subList(1, w.size()));
      assertEquals(null, s.option("--packages"));
      for (String k : hadoopCloud.keySet()) {
        assertFalse(s.confs().containsKey(k), script + " without --hadoop-cloud sets no " + k);
      }
    }
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.put("NTK_EMR_CLUSTER_ID", "j-X");
    assertOneLineError(run("emr.sh", env, "--dry-run", "--hadoop-cloud", "kernel"), "EMR");
    assertOneLineError(run("dataproc.sh", env, "--dry-run", "--hadoop-cloud", "kernel"), "Dataproc");
    assertNothingCalled();
  }

  // ------------------------------------------------------------------------------- all three

  @Test
  void badCommandLinesFailWithOneLine() throws Exception {
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.put("NTK_EMR_CLUSTER_ID", "j-X");
    env.put("NTK_MASTER", "spark://127.0.0.1:7077");
    for (String script : List.of("standalone.sh", "yarn.sh", "emr.sh", "dataproc.sh")) {
      assertOneLineError(run(script, env, "--dry-run", "--conf", "novalue", "spectrum"), "--conf");
      assertOneLineError(run(script, env, "--dry-run", "--conf"), "--conf");
      assertOneLineError(run(script, env, "--dry-run"), "JOB");
      assertOneLineError(run(script, env, "--dry-run", "spectra"), "spectra");
      assertOneLineError(run(script, env, "--dry-run", "--n", "5", "spectrum"), "--n");
      Run help = run(script, env, "--help");
      assertEquals(0, help.code(), help.describe());
      assertTrue(help.out().contains("--dry-run") && help.out().contains("JOB"), help.describe());
    }
    assertNothingCalled();
  }

  /**
   * The scripts read conf/ beside themselves, from any working directory; a setting whose value
   * holds a comma reaches EMR through the JSON steps and Dataproc through gcloud's ^D^ form.
   */
  @Test
  void settingsComeFromTheScriptsOwnConfAndMayHoldCommas() throws Exception {
    Path tree = tmp.resolve("copy of tree");
    Files.createDirectories(tree.resolve("submit"));
    Files.createDirectories(tree.resolve("conf"));
    for (String s : List.of("standalone.sh", "yarn.sh", "emr.sh", "dataproc.sh", "common.sh")) {
      Files.copy(root.resolve("submit").resolve(s), tree.resolve("submit").resolve(s), StandardCopyOption.COPY_ATTRIBUTES);
    }
    for (String c : List.of("spark-defaults.conf", "cluster.conf", "hadoop-cloud.conf")) {
      Files.copy(root.resolve("conf").resolve(c), tree.resolve("conf").resolve(c));
    }
    Files.writeString(tree.resolve("conf/cluster.conf"),
        "\n# added by the test\nspark.ntk.test.list      a,b c #^@|=x  \nspark.executor.memory 3g\n",
        java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> want = new TreeMap<>(expected);
    want.put("spark.ntk.test.list", "a,b c #^@|=x");
    want.put("spark.executor.memory", "3g");
    Map<String, String> wantManaged = new TreeMap<>(want);
    MODULE_KEYS.forEach(wantManaged::remove);
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Map<String, String> env = new HashMap<>(DATAPROC_ENV);
    env.put("NTK_EMR_CLUSTER_ID", "j-X");
    env.put("NTK_JAR_URI", EMR_JAR);

    Run r = run(tree.resolve("submit/emr.sh"), env, elsewhere, withJob("--dry-run"));
    assertEquals(0, r.code(), r.describe());
    SparkSubmit s = sparkSubmit(stepArgs(emrStep(words(r.out()), "j-X")));
    assertSettings(s.confs(), wantManaged, "emr.sh from the copied conf");
    assertEquals(JOB, s.jobArgs());

    env.put("NTK_JAR_URI", GCS_JAR);
    r = run(tree.resolve("submit/dataproc.sh"), env, elsewhere, withJob("--dry-run"));
    assertEquals(0, r.code(), r.describe());
    Gcloud g = gcloud(words(r.out()));
    assertTrue(g.flags().get("--properties").startsWith("^"), "the ^D^ form: " + g.flags().get("--properties"));
    assertSettings(gcloudDict(g.flags().get("--properties")), wantManaged, "dataproc.sh from the copied conf");
    assertEquals(JOB, g.jobArgs());

    r = run(tree.resolve("submit/yarn.sh"), env, elsewhere, withJob("--dry-run"));
    assertEquals(0, r.code(), r.describe());
    List<String> w = words(r.out());
    s = sparkSubmit(w.subList(1, w.size()));
    assertEquals(tree.resolve("conf/spark-defaults.conf").toString(), s.option("--properties-file"));
    assertEquals(tree.resolve("target").resolve(JAR_NAME).toString(), s.jar());
    Map<String, String> effective = new HashMap<>(readConf(tree.resolve("conf/spark-defaults.conf")));
    effective.putAll(s.confs());
    assertSettings(effective, want, "yarn.sh from the copied conf");
    assertEquals(JOB, s.jobArgs());

    env.put("NTK_MASTER", "spark://127.0.0.1:7077");
    r = run(tree.resolve("submit/standalone.sh"), env, elsewhere, withJob("--dry-run"));
    assertEquals(0, r.code(), r.describe());
    w = words(r.out());
    s = sparkSubmit(w.subList(1, w.size()));
    assertEquals(tree.resolve("conf/spark-defaults.conf").toString(), s.option("--properties-file"));
    effective = new HashMap<>(readConf(tree.resolve("conf/spark-defaults.conf")));
    effective.putAll(s.confs());
    assertSettings(effective, want, "standalone.sh from the copied conf");
    assertEquals(JOB, s.jobArgs());
    assertNothingCalled(); // the copied tree has no jar, but a dry run builds nothing
  }
}
