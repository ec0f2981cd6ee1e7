package org.ntkstudy;

/**
 * An error in what the user gave us (an option, a file, a dataset): its message names what is
 * wrong and, where possible, what to do. The command line prints the message alone (no stack
 * trace) and exits non-zero.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Refuses {@code value} of {@code option} unless it is positive (a NaN is refused too). */
  public static void requirePositive(String option, double value) {
    if (!(value > 0)) {
      throw new UserInputException(option + " must be positive, got " + format(value));
    }
  }

  /** Refuses {@code value} of {@code option} unless it is zero or more. */
  public static void requireNonNegative(String option, double value) {
    if (!(value >= 0)) {
      throw new UserInputException(option + " must be zero or more, got " + format(value));
    }
  }

  /** Refuses {@code value} of {@code option} unless it lies in the open interval (lo, hi). */
  public static void requireBetween(String option, double value, double lo, double hi) {
    if (!(value > lo && value < hi)) {
      throw new UserInputException(option + " must lie in (" + format(lo) + ", " + format(hi) + "), got "
          + format(value));
    }
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
