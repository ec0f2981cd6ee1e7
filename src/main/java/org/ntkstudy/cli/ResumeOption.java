package org.ntkstudy.cli;

import org.ntkstudy.UserInputException;
import picocli.CommandLine.Option;

/** {@code --resume} of the grid jobs (sweep, train, influence). */
public final class ResumeOption {
  @Option(names = "--resume", description = "continue an unfinished run of the same --out: finished cells computed"
      + " with the same settings are kept, the others recomputed")
  boolean resume;

  /** The flag, refused beside {@code --overwrite} (one continues a run, the other replaces one). */
  boolean resume(OutputOptions output) {
    if (resume && output.overwrite) {
      throw new UserInputException("--resume continues an unfinished --out and --overwrite replaces a finished one:"
          + " pass one of them");
    }
    return resume;
  }
}
