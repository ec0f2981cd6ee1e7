package org.ntkstudy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * The tiny study's report as a browser draws it: headless Chromium screenshots the first screen
 * (1280×1600), which must be a real page with the verdict badges' colours on it, and dumps the DOM,
 * in which the verdict words must come before the headline section. Skips without
 * {@code /usr/bin/chromium}, except under CI=true, which installs it (.ci/run).
 */
class ReportScreenshotTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final int WIDTH = 1280;
  static final int HEIGHT = 1600;
  /** The badge colours of Html.STYLE: holds/higher, fails/reversed, confounded, the rest. */
  static final Map<String, Integer> BADGE_RGB = Map.of("v-good", 0x1a7f37, "v-bad", 0xcf222e, "v-warn", 0xbf8700,
      "v-neutral", 0x6e7781);

  @Test
  void firstScreenShowsTheVerdictsBeforeTheHeadline(@TempDir Path tmp) throws Exception {
    assumeChromium();
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path study = TinyStudy.get();
    Path html = study.resolve("report/report.html");
    assertTrue(Files.exists(html), "the study wrote its report");
    StudyResult summary = ResultJson.read(Files.readString(study.resolve("summary.json")), StudyResult.class);
    assertNotNull(summary.verdicts(), "the study recorded its verdicts");
    Map<String, Verdict> verdicts = summary.verdicts().byKey();

    // The first screen as a PNG.
    Path png = tmp.resolve("first-screen.png");
    Run shot = chromium(tmp, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", "--screenshot=" + png,
        html.toUri().toString());
    assertTrue(Files.exists(png), "no screenshot; chromium said: " + shot.output());
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, "the screenshot is a PNG");
    assertEquals(WIDTH, img.getWidth());
    assertEquals(HEIGHT, img.getHeight());
    Set<Integer> colours = new HashSet<>();
    Set<String> badges = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        BADGE_RGB.forEach((cls, c) -> {
          if (c == rgb) {
            badges.add(cls);
          }
        });
      }
    }
    assertTrue(colours.size() > 50, "a drawn page, not a blank one: " + colours.size() + " distinct colours");
    Set<String> expected = new HashSet<>();
    verdicts.values().forEach(v -> expected.add(org.ntkstudy.report.page.Html.verdictClass(v.verdict())));
    assertTrue(badges.stream().anyMatch(expected::contains),
        "the first screen shows verdict badges (" + expected + "); found the colours of " + badges);

    // The same page's DOM: every verdict word, as a badge, before the headline section.
    Run dom = chromium(tmp, "--dump-dom", html.toUri().toString());
    String page = dom.output();
    int headline = page.indexOf("<section id=\"headline\">");
    int verdictsAt = page.indexOf("<section id=\"verdicts\">");
    assertTrue(verdictsAt >= 0 && headline > verdictsAt, "the verdicts section precedes the headline in the DOM");
    String before = page.substring(0, headline);
    for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
      String word = e.getValue().verdict();
      assertTrue(before.contains(">" + word + "</span>"), e.getKey() + "'s verdict \"" + word
          + "\" appears before the headline");
    }
    assertTrue(before.contains("claims hold here?"), "the section's question");
  }

  /** Skips without Chromium, except under CI=true, which installs it (.ci/run). */
  static void assumeChromium() {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true but " + CHROMIUM + " is missing: .ci/run must apt-get install chromium");
    }
    Assumptions.abort(CHROMIUM + " not installed (apt-get install chromium): the report's screenshot is not checked");
  }

  record Run(int exit, String output) {}

  /** Runs headless Chromium with its own profile folder under {@code tmp}; its stdout (stderr apart). */
  static Run chromium(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + tmp.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    Path err = tmp.resolve("chromium-stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 180 s: " + cmd);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "chromium " + cmd + " failed: " + Files.readString(err));
    return new Run(p.exitValue(), stdout);
  }
}
