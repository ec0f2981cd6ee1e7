package org.ntkstudy.math;

import java.util.Locale;

/**
 * The two models of SCIENCE §2: the same two-layer ReLU network on x ({@code relu}, the paper's
 * "2L-ReLU") or on the attended features x̃ = Cx/|Cx| ({@code attn}, the paper's "MLP-Attn").
 */
public enum Model {
  RELU,
  ATTN;

  /** The name used in options, tables and keys: {@code relu} or {@code attn}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
