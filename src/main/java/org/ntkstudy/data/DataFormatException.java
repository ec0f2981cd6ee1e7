package org.ntkstudy.data;

import org.ntkstudy.UserInputException;

/**
 * A dataset file that is missing, corrupt or not what it claims to be; the message names the file
 * (or image) and what is wrong with it.
 */
public class DataFormatException extends UserInputException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
