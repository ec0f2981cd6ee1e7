package org.ntkstudy;

import org.ntkstudy.cli.SpectrumCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code JOB [options]}, one subcommand per job. Only parses arguments; each
 * job is a class with an immutable config and a result (org.ntkstudy.jobs).
 */
@Command(name = "ntk", mixinStandardHelpOptions = true, version = "ntk-attention 0.1",
    description = "Does linearized attention enter the NTK regime? Spark jobs for the study of"
        + " arXiv 2603.13085.",
    subcommands = {SpectrumCommand.class, org.ntkstudy.cli.KernelCommand.class, org.ntkstudy.cli.SweepCommand.class, org.ntkstudy.cli.TrainCommand.class, org.ntkstudy.cli.InfluenceCommand.class, org.ntkstudy.cli.RobustnessCommand.class, org.ntkstudy.cli.StudyCommand.class, org.ntkstudy.cli.BenchCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code: 0 ok, 2 bad input, 1 a bug. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          String message = userMessage(e);
          if (message != null) {
            cmd.getErr().println("error: " + message);
            return 2;
          }
          throw e;
        });
    return cl.execute(args);
  }

  /**
   * The message of a {@link UserInputException} anywhere in the cause chain (also when Spark
   * wrapped one thrown in a task, which only keeps its text), or null for a bug.
   */
  static String userMessage(Throwable e) {
    String marker = UserInputException.class.getName() + ": ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserInputException) {
        return t.getMessage();
      }
      String m = t.getMessage();
      if (m != null && m.contains(marker)) {
        String rest = m.substring(m.indexOf(marker) + marker.length());
        int nl = rest.indexOf('\n');
        return nl < 0 ? rest : rest.substring(0, nl);
      }
    }
    return null;
  }
}
