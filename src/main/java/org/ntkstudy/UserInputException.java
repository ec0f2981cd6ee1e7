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
}
