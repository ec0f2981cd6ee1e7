package org.ntkstudy.report.page;

/** One section of the study report: its anchor, its heading and the code that draws its body. */
public interface ReportSection {
  /** The section's HTML id (the anchor of the table of contents). */
  String id();

  /** The section's heading. */
  String title();

  /**
   * Appends the section's body to {@link ReportContext#html()} and registers its data files. A
   * failure is caught by the report, which drops what the section wrote and says so on the page.
   */
  void write(ReportContext ctx) throws Exception;
}
