package org.ntkstudy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.util.ShutdownHookManager;
import org.ntkstudy.cli.SpectrumCommand;
import org.ntkstudy.io.KillPoints;
import org.ntkstudy.io.OpenOutputs;
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

  /**
   * Runs the command line and returns the exit code: 0 ok, 2 bad input or a full disk, 1 a bug.
   * A run that fails leaves no unfinished output behind, but for one a {@code --resume} continues,
   * and says which (see {@link OpenOutputs}).
   */
  public static int run(String... args) {
    OpenOutputs.begin(resumeCommand(args));
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
    // A mistyped option is one line, pointing at the help, not the whole usage text.
    cl.setParameterExceptionHandler((e, a) -> {
      CommandLine cmd = e.getCommandLine();
      String help = cmd.getCommandName().equals("ntk") ? "--help" : cmd.getCommandName() + " --help";
      cmd.getErr().println("error: " + e.getMessage() + " (see " + help + ")");
      cmd.getErr().flush();
      return 2;
    });
    try {
      return cl.execute(args);
    } catch (Error e) {
      // picocli hands only exceptions to the handler; Hadoop reports a full local disk as FSError.
      try {
        return failed(e, cl.getErr());
      } catch (Exception unexpected) {
        throw new IllegalStateException(unexpected);
      }
    }
  }

  /** What a failed run tells the user, and its exit code; rethrows a bug (a stack trace, exit 1). */
  private static int failed(Throwable e, PrintWriter err) throws Exception {
    if (killed(e)) {
      OpenOutputs.forget(); // a test's kill point stands for the process dying: nothing is cleaned
      throw rethrown(e);
    }
    if (ShutdownHookManager.get().isShutdownInProgress()) {
      // SIGINT or SIGTERM stopped Spark under the job: whichever of this and the shutdown hook
      // comes first cleans up and tells the user.
      OpenOutputs.interrupted();
      return 1;
    }
    boolean full = OpenOutputs.diskFull(e);
    String after = OpenOutputs.abandon(full);
    String message = full ? "no space left on the device of the output" : userMessage(e);
    if (message != null) {
      err.println("error: " + message + (after.isEmpty() ? "" : "; " + after));
      err.flush();
      return 2;
    }
    if (!after.isEmpty()) {
      err.println("error: an unexpected failure (below); " + after);
      err.flush();
    }
    throw rethrown(e);
  }

  private static Exception rethrown(Throwable e) {
    if (e instanceof Error error) {
      throw error;
    }
    return (Exception) e;
  }

  private static boolean killed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KillPoints.Killed || (t.getMessage() != null && t.getMessage().contains("test-only kill at"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The command that continues this run: its arguments with {@code --resume} and without
   * {@code --overwrite}, after the launcher the user ran ({@code -Dntk.launcher}, which
   * submit/local.sh sets) or, under spark-submit, described.
   */
  static String resumeCommand(String... args) {
    List<String> words = new ArrayList<>();
    for (String a : args) {
      if (!a.equals("--overwrite")) {
        words.add(a.isEmpty() || a.matches(".*[\\s'\"$`\\\\*?;&|<>(){}].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
      }
    }
    if (!words.contains("--resume")) {
      words.add("--resume");
    }
    String launcher = System.getProperty("ntk.launcher");
    return (launcher == null ? "the same spark-submit with the arguments " : launcher + " ") + String.join(" ", words);
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
