package org.ntkstudy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;

/** Loads the fixtures that src/test/resources/fixtures/make_fixtures.py wrote with NumPy. */
public final class Fixtures {
  private Fixtures() {}

  public static Matrix npy(String name) {
    try (InputStream in = stream(name)) {
      return Npy.read(in, name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Object> json(String name) {
    try (InputStream in = stream(name)) {
      return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] bytes(String name) {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static double[] doubles(Map<String, Object> json, String key) {
    @SuppressWarnings("unchecked")
    List<Number> list = (List<Number>) json.get(key);
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).doubleValue();
    }
    return out;
  }

  /** A number or null. */
  public static Double number(Map<String, Object> json, String key) {
    Object v = json.get(key);
    return v == null ? null : ((Number) v).doubleValue();
  }

  private static InputStream stream(String name) {
    InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name);
    if (in == null) {
      throw new IllegalStateException("missing fixture " + name + ": run make_fixtures.py");
    }
    return in;
  }
}
