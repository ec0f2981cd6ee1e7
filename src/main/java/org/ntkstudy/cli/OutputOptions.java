package org.ntkstudy.cli;

import picocli.CommandLine.Option;

/** Where a job writes and in which forms. */
public final class OutputOptions {
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output folder (a local path or a Hadoop URI); written under a temporary name and"
          + " renamed when complete")
  String out;

  @Option(names = "--overwrite", description = "replace an existing --out (kept until the new one is complete)")
  boolean overwrite;

  @Option(names = "--npy", description = "also write .npy matrices for notebooks")
  boolean npy;

  @Option(names = "--max-driver-mb", defaultValue = "4096",
      description = "largest dense matrix collected to the driver, MiB (default: ${DEFAULT-VALUE})")
  long maxDriverMb;

  public long maxDriverBytes() {
    return maxDriverMb * 1024L * 1024L;
  }
}
