package org.ntkstudy.io;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only crash points: the moments at which a run can die (between two table writes, between
 * a commit's rename and its clean-up, …) are named, and a test arms one of them so that the run
 * stops there as if killed, then checks that {@code --resume} finishes it to the same bytes as an
 * uninterrupted run. Disarmed, {@link #reach} is a single volatile read.
 */
public final class KillPoints {
  private static final AtomicReference<String> ARMED = new AtomicReference<>();

  private KillPoints() {}

  /** The crash a test asked for: never caught by the jobs (it stands for the process dying). */
  public static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed(String point) {
      super("test-only kill at " + point);
    }
  }

  /** Test only: the next {@link #reach} of {@code point} throws {@link Killed} (once). */
  public static void arm(String point) {
    ARMED.set(point);
  }

  /** Test only: no point armed. */
  public static void disarm() {
    ARMED.set(null);
  }

  /** True while a point is armed and not yet reached. */
  public static boolean armed() {
    return ARMED.get() != null;
  }

  /** Marks the named moment of a run; throws {@link Killed} when a test armed it. */
  public static void reach(String point) {
    String armed = ARMED.get();
    if (armed != null && armed.equals(point) && ARMED.compareAndSet(armed, null)) {
      OpenOutputs.forget(); // a dead process cleans nothing up
      throw new Killed(point);
    }
  }
}
