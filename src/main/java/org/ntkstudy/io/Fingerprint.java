package org.ntkstudy.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings that decide a result's numbers, as a sorted map of setting → its value in compact
 * JSON: a finished output (in its manifest) and a finished grid cell (in its cell file) carry one,
 * and {@code --resume} reuses a piece only when the fingerprint it would be computed with is the
 * same. Settings that change nothing (the output folder, {@code --overwrite}, the task count) are
 * left out by the job that makes the fingerprint.
 */
public final class Fingerprint implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Settings no job's numbers depend on: where results go, whether to replace, how many tasks. */
  public static final Set<String> NEVER = Set.of("out", "overwrite", "resume", "partitions");

  private final TreeMap<String, String> settings;

  private Fingerprint(TreeMap<String, String> settings) {
    this.settings = settings;
  }

  /** The fingerprint of a job's settings ({@code toMap()} of its config), without {@link #NEVER}. */
  public static Fingerprint of(Map<String, ?> settings) {
    TreeMap<String, String> m = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (!NEVER.contains(k)) {
        m.put(k, Json.compact(v));
      }
    });
    return new Fingerprint(m);
  }

  /** Reads back the map written by {@link #toMap()} (values are compact JSON texts). */
  public static Fingerprint fromMap(Map<String, ?> stored) {
    TreeMap<String, String> m = new TreeMap<>();
    stored.forEach((k, v) -> m.put(k, String.valueOf(v)));
    return new Fingerprint(m);
  }

  /** This fingerprint without {@code keys} (a grid's axes, which a cell's key already names). */
  public Fingerprint without(Collection<String> keys) {
    TreeMap<String, String> m = new TreeMap<>(settings);
    m.keySet().removeAll(keys);
    return new Fingerprint(m);
  }

  /** This fingerprint with one more setting (e.g. the fingerprint of an input another job made). */
  public Fingerprint with(String key, Object value) {
    TreeMap<String, String> m = new TreeMap<>(settings);
    m.put(key, value instanceof Fingerprint f ? Json.compact(f.toMap()) : Json.compact(value));
    return new Fingerprint(m);
  }

  /** The settings as stored in a manifest: setting → value as compact JSON. */
  public Map<String, String> toMap() {
    return Collections.unmodifiableMap(settings);
  }

  /**
   * What differs from {@code before}, one entry per setting, as "name: old → new" (a setting only
   * one side has shows "(none)" on the other); empty when the two are the same.
   */
  public List<String> changesFrom(Fingerprint before) {
    Set<String> keys = new TreeSet<>(settings.keySet());
    keys.addAll(before.settings.keySet());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      String was = before.settings.get(k);
      String now = settings.get(k);
      if (was == null || !was.equals(now)) {
        out.add(k + ": " + (was == null ? "(none)" : was) + " -> " + (now == null ? "(none)" : now));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f && f.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  @Override
  public String toString() {
    return settings.toString();
  }
}
