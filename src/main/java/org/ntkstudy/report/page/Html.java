package org.ntkstudy.report.page;

import java.util.List;

/** HTML escaping and the few building blocks the report uses (tables, notes, figures). */
public final class Html {
  private Html() {}

  /** Text made safe for element content and attribute values. */
  public static String esc(String s) {
    if (s == null) {
      return Fmt.NONE;
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A table; header cells are plain text (escaped here), body cells are HTML fragments the caller
   * has already escaped or formatted.
   */
  public static String table(String cssClass, List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"tablewrap\"><table").append(cssClass == null ? "" : " class=\"" + esc(cssClass) + "\"")
        .append("><thead><tr>");
    for (String h : header) {
      b.append("<th>").append(esc(h)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (List<String> r : rows) {
      b.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        b.append(i == 0 ? "<th scope=\"row\">" : "<td>").append(r.get(i)).append(i == 0 ? "</th>" : "</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table></div>\n");
    return b.toString();
  }

  /** A highlighted note (e.g. a part that is missing). */
  public static String note(String text) {
    return "<p class=\"note\">" + esc(text) + "</p>\n";
  }

  /** A paragraph of plain text. */
  public static String p(String text) {
    return "<p>" + esc(text) + "</p>\n";
  }

  /** The CSS class of a verdict word's badge: good (holds, higher), bad (fails, reversed), warn (confounded), neutral. */
  public static String verdictClass(String verdict) {
    return switch (verdict == null ? "" : verdict) {
      case "holds", "higher" -> "v-good";
      case "fails", "reversed" -> "v-bad";
      case "confounded" -> "v-warn";
      default -> "v-neutral";
    };
  }

  /** A verdict word as a coloured badge (its colour by {@link #verdictClass}). */
  public static String badge(String verdict) {
    return "<span class=\"badge " + verdictClass(verdict) + "\">" + esc(verdict) + "</span>";
  }

  /** A warning line (e.g. collapsed features, a network at chance). */
  public static String warning(String text) {
    return "<p class=\"warning\">⚠ " + esc(text) + "</p>\n";
  }

  /** The page's style sheet: system fonts only, nothing fetched. */
  public static final String STYLE = """
      :root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#ffffff; --soft:#f6f8fa; --accent:#0b5cad; }
      * { box-sizing: border-box; }
      body { margin:0; background:var(--bg); color:var(--fg);
        font: 16px/1.55 -apple-system, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
      main { max-width: 1240px; margin: 0 auto; padding: 24px 32px 64px; }
      h1 { font-size: 1.9rem; margin: 0.2em 0 0.1em; }
      h2 { font-size: 1.45rem; margin: 2.2em 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid var(--line); }
      h3 { font-size: 1.12rem; margin: 1.6em 0 0.4em; }
      .subtitle { color: var(--muted); margin: 0 0 1em; }
      nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 18px; }
      nav.toc ol { margin: 0.2em 0; padding-left: 1.4em; columns: 2; }
      nav.toc a { color: var(--accent); text-decoration: none; }
      .headline { background: #eef6ff; border-left: 5px solid var(--accent); padding: 12px 20px; border-radius: 4px; }
      .headline li { margin: 0.35em 0; }
      .note { background: #fff8e5; border-left: 4px solid #d4a72c; padding: 8px 14px; border-radius: 3px; }
      .statement { font-style: italic; }
      .tablewrap { overflow-x: auto; margin: 0.6em 0 1em; }
      table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
      th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: right; vertical-align: top; }
      thead th { background: var(--soft); text-align: center; }
      tbody th { text-align: left; font-weight: 600; background: #fbfcfd; }
      td.text, th.text { text-align: left; }
      .ci { color: var(--muted); font-size: 0.88em; }
      .paper { color: #6e40c9; }
      figure { margin: 1.2em 0 2em; }
      figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
      figcaption { color: #333; font-size: 0.95rem; margin-top: 0.4em; max-width: 1100px; }
      .tabledata { margin-top: -0.6em; }
      figcaption .data, .tabledata .data { color: var(--muted); font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; }
      details { margin: 0.4em 0 1em; }
      details pre { background: var(--soft); padding: 10px; overflow-x: auto; font-size: 0.82rem; }
      code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
      .yes { color: #1a7f37; font-weight: 600; } .no { color: #cf222e; font-weight: 600; }
      .badge { display: inline-block; min-width: 6.2em; padding: 1px 8px; border-radius: 10px; font-weight: 700;
        font-size: 0.85em; text-align: center; letter-spacing: 0.02em; color: #fff; white-space: nowrap; }
      .v-good { background: #1a7f37; } .v-bad { background: #cf222e; } .v-warn { background: #bf8700; }
      .v-neutral { background: #6e7781; }
      table.verdicts td, table.verdicts th { text-align: left; }
      table.verdicts .rule { display: block; color: var(--muted); font-size: 0.85em; margin-top: 2px; }
      table.c3 td { text-align: left; min-width: 15em; }
      table.c3 .nums { display: block; color: var(--muted); font-size: 0.85em; }
      .verdictlead { margin: 0.3em 0 0.6em; }
      .warning { background: #ffebe9; border-left: 4px solid #cf222e; padding: 8px 14px; border-radius: 3px; }
      .chance { color: #cf222e; font-weight: 700; } .learned { color: #1a7f37; font-weight: 600; }
      footer { margin-top: 3em; color: var(--muted); font-size: 0.85rem; }
      """;
}
