package org.ntkstudy.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntkstudy.io.Json;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * The notebooks in notebooks/: valid nbformat 4 with cleared outputs, and each one runs from top
 * to bottom on the tiny study's folder with Debian's jupyter-nbconvert, without an error and
 * drawing at least one figure.
 */
class NotebooksTest {
  static final Path NOTEBOOKS = Path.of("notebooks").toAbsolutePath();
  static final Path NBCONVERT = Path.of("/usr/bin/jupyter-nbconvert");
  static final long TIMEOUT_S = 600;

  static List<Path> notebooks() throws IOException {
    try (Stream<Path> s = Files.list(NOTEBOOKS)) {
      List<Path> out = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
      assertFalse(out.isEmpty(), "no notebooks in " + NOTEBOOKS);
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path notebook) throws IOException {
    Map<String, Object> nb = Json.read(Files.readString(notebook, StandardCharsets.UTF_8));
    assertInstanceOf(List.class, nb.get("cells"), notebook + ": no cells");
    return nb;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> cells(Map<String, Object> nb) {
    return (List<Map<String, Object>>) nb.get("cells");
  }

  static String source(Map<String, Object> cell) {
    Object s = cell.get("source");
    return s instanceof List<?> lines ? String.join("", lines.stream().map(String::valueOf).toList()) : String.valueOf(s);
  }

  /** Skips without jupyter-nbconvert, except under CI=true, which installs it (.ci/run). */
  static void assumeNbconvert() {
    if (Files.isExecutable(NBCONVERT)) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true but " + NBCONVERT + " is missing: .ci/run must apt-get install jupyter-nbconvert "
          + "python3-nbconvert python3-ipykernel python3-matplotlib python3-numpy");
    }
    Assumptions.abort(NBCONVERT + " not installed (apt-get install jupyter-nbconvert python3-nbconvert "
        + "python3-ipykernel python3-matplotlib): notebooks not executed");
  }

  record Run(int exit, String output) {}

  /** Runs nbconvert --execute on {@code notebook} with NTK_STUDY = {@code study}, in notebooks/. */
  static Run execute(Path notebook, Path study, Path outDir) throws IOException, InterruptedException {
    Path log = outDir.resolve(notebook.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(NBCONVERT.toString(), "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=300", "--output-dir", outDir.toString(), notebook.toString())
        .directory(NOTEBOOKS.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("NTK_STUDY", study.toString());
    pb.environment().put("MPLBACKEND", "Agg");
    pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail(notebook.getFileName() + ": nbconvert did not finish in " + TIMEOUT_S + " s:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  @Test
  void notebooksAreNbformat4WithClearedOutputs() throws IOException {
    for (Path notebook : notebooks()) {
      String name = notebook.getFileName().toString();
      Map<String, Object> nb = read(notebook);
      assertEquals(4, ((Number) nb.get("nbformat")).intValue(), name + ": nbformat");
      assertInstanceOf(Number.class, nb.get("nbformat_minor"), name + ": nbformat_minor");
      Map<?, ?> meta = (Map<?, ?>) nb.get("metadata");
      assertEquals("python3", ((Map<?, ?>) meta.get("kernelspec")).get("name"), name + ": kernelspec");
      List<Map<String, Object>> cells = cells(nb);
      assertEquals("markdown", cells.get(0).get("cell_type"), name + ": first cell says what it shows");
      assertTrue(source(cells.get(0)).contains("SCIENCE.md"), name + ": first cell names its SCIENCE.md section");
      assertTrue(cells.stream().anyMatch(c -> source(c).contains("os.environ.get(\"NTK_STUDY\", \"../out/study\")")),
          name + ": a parameters cell reads NTK_STUDY");
      for (Map<String, Object> cell : cells) {
        assertTrue(List.of("markdown", "code", "raw").contains(cell.get("cell_type")), name + ": cell type");
        if ("code".equals(cell.get("cell_type"))) {
          assertEquals(List.of(), cell.get("outputs"), name + ": outputs not cleared in\n" + source(cell));
          assertNull(cell.get("execution_count"), name + ": execution_count not cleared");
        }
      }
    }
  }

  static List<String> notebookNames() throws IOException {
    return notebooks().stream().map(p -> p.getFileName().toString()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebookNames")
  @SuppressWarnings("unchecked")
  void notebookRunsOnTheTinyStudy(String name, @TempDir Path tmp) throws Exception {
    assumeNbconvert();
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path study = TinyStudy.get().toAbsolutePath();
    Path notebook = NOTEBOOKS.resolve(name);

    Run run = execute(notebook, study, tmp);
    assertEquals(0, run.exit(), name + ": jupyter-nbconvert failed:\n" + run.output());
    Path executed = tmp.resolve(name);
    assertTrue(Files.exists(executed), name + ": no executed notebook in " + tmp + "\n" + run.output());

    int images = 0;
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> cell : cells(read(executed))) {
      for (Object o : (List<Object>) cell.getOrDefault("outputs", List.of())) {
        Map<String, Object> out = (Map<String, Object>) o;
        if ("error".equals(out.get("output_type"))) {
          errors.add(out.get("ename") + ": " + out.get("evalue") + "\nin\n" + source(cell));
        }
        if (out.get("data") instanceof Map<?, ?> data && data.containsKey("image/png")) {
          images++;
        }
      }
    }
    assertTrue(errors.isEmpty(), name + ": error outputs:\n" + String.join("\n\n", errors));
    boolean plots = cells(read(notebook)).stream().anyMatch(c -> source(c).contains("plt."));
    if (plots) {
      assertTrue(images >= 1, name + ": a plotting notebook drew no image/png output\n" + run.output());
    }
  }

  @Test
  void aMissingStudyFolderFailsNamingIt(@TempDir Path tmp) throws Exception {
    assumeNbconvert();
    Path missing = tmp.resolve("no-such-study");
    Run run = execute(notebooks().get(0), missing, tmp);
    assertNotEquals(0, run.exit(), "a notebook on a missing folder must fail:\n" + run.output());
    // The notebook prints the folder resolved (symlinks followed): check its last, unresolvable part.
    assertTrue(run.output().contains("FileNotFoundError") && run.output().contains("/no-such-study does not exist"),
        "the failure names the folder:\n" + run.output());
  }
}
