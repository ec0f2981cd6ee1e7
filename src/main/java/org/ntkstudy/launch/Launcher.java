package org.ntkstudy.launch;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The jar's entry point (its Main-Class, and the {@code --class} the submit scripts pass): checks
 * that this JVM is Java 17 or later, then hands over to {@code org.ntkstudy.Main}. Compiled for
 * Java 8 (this package alone, see pom.xml), so an older JVM — a cluster image still on Java 8 or 11
 * — reads this class and prints one line saying what to do, instead of failing to load the
 * application with an {@code UnsupportedClassVersionError} stack trace. Everything else in the jar
 * is Java 17 bytecode; this class must name it only through reflection.
 */
public final class Launcher {
  /** The oldest Java the application runs on. */
  public static final int REQUIRED = 17;

  private static final String MAIN = "org.ntkstudy.Main";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    String refusal = refusal(System.getProperty("java.specification.version"), javaCommand());
    if (refusal != null) {
      System.err.println(refusal);
      System.exit(2);
      return;
    }
    Method main = Class.forName(MAIN).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * The Java feature release named by a {@code java.specification.version}: {@code 1.8} is 8,
   * {@code 11} is 11, {@code 25} is 25; -1 when it cannot be read.
   */
  public static int feature(String specificationVersion) {
    if (specificationVersion == null) {
      return -1;
    }
    String v = specificationVersion.trim();
    if (v.startsWith("1.")) {
      v = v.substring(2);
    }
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) {
      end++;
    }
    if (end == 0) {
      return -1;
    }
    try {
      return Integer.parseInt(v.substring(0, end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The one line an older JVM gets, or null when {@code specificationVersion} is Java 17 or later
   * (or unreadable: the application then starts and the JVM itself says what is wrong).
   *
   * @param specificationVersion this JVM's {@code java.specification.version}
   * @param java the path of this JVM's {@code java} command, for the message
   */
  public static String refusal(String specificationVersion, String java) {
    int feature = feature(specificationVersion);
    if (feature < 0 || feature >= REQUIRED) {
      return null;
    }
    return "ntk-attention needs Java " + REQUIRED + " or later, this JVM is " + feature + " (" + java + "):"
        + " on Dataproc use image version 3.0 or later (Java 17; the 2.x images run Java 11);"
        + " on EMR use release 7.0 or later (Java 17 by default);"
        + " locally set JAVA_HOME to a JDK 17, 21 or 25 (Debian 12: apt-get install openjdk-17-jdk-headless).";
  }

  private static String javaCommand() {
    String home = System.getProperty("java.home");
    return home == null ? "java" : home + File.separator + "bin" + File.separator + "java";
  }
}
