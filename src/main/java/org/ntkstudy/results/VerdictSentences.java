package org.ntkstudy.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.ntkstudy.math.Statistics;

/**
 * The one-line, plain-words sentence of each §7 verdict (SCIENCE §7), rebuilt from its evidence
 * so that a verdict read back from {@code summary.json} says the same thing; and the number
 * formats the rule texts and sentences share.
 */
final class VerdictSentences {
  private VerdictSentences() {}

  /** The one-line sentence of a verdict, computed from its evidence ({@link Verdict#sentence()}). */
  static String sentence(Verdict v) {
    Map<String, Object> ev = v.evidence();
    String body;
    String claim = v.claim();
    if (claim == null) {
      body = v.rule();
    } else {
      body = switch (claim) {
        case "C1" -> c1Sentence(v, ev);
        case "C2" -> c2Sentence(v, ev);
        case "C3" -> c3Sentence(v, ev);
        case "C4" -> c4Sentence(v, ev);
        case "dual" -> dualSentence(v, ev);
        default -> v.rule();
      };
    }
    return v.verdict() + ": " + body;
  }

  private static String c1Sentence(Verdict v, Map<String, Object> ev) {
    if (v.verdict().equals(Verdict.INCONCLUSIVE)) {
      return "no slope of κ_k(X̃X̃ᵀ) on κ_k(G): " + ev.get("reason");
    }
    return "κ_k(X̃X̃ᵀ) grows as κ_k(G)^" + num(d(ev, "slope")) + " over k ∈ " + set((List<?>) ev.get("k_used"))
        + (v.verdict().equals(Verdict.HOLDS) ? ", in " : ", outside ") + "[2.5, 3.5] (the paper: κ³)";
  }

  private static String c2Sentence(Verdict v, Map<String, Object> ev) {
    String model = (String) ev.get("model");
    Double slope = d(ev, "slope");
    Double log10MHat = d(ev, "log10_m_hat");
    if (ev.containsKey("reason") && log10MHat == null) {
      return model + "'s e_W: " + ev.get("reason");
    }
    if (slope != null && slope >= 0) {
      return model + "'s e_W does not fall with width (slope " + num(slope) + ")";
    }
    String reach = model + "'s e_W reaches 0.1 at m̂ ≈ 10^" + num(log10MHat) + " neurons";
    return switch (v.verdict()) {
      case Verdict.HOLDS -> reach + ", beyond the practical width " + width(d(ev, "practical_width"));
      case Verdict.FAILS -> reach + ", within the widths measured (up to " + width(d(ev, "widest_width")) + ")";
      default -> ev.containsKey("reason") ? reach + "; " + ev.get("reason")
          : reach + ", beyond the widest width measured (" + width(d(ev, "widest_width"))
              + ") but short of the practical width " + width(d(ev, "practical_width"));
    };
  }

  private static String c3Sentence(Verdict v, Map<String, Object> ev) {
    String attack = ((String) ev.get("attack")).toUpperCase(Locale.ROOT);
    String where = " (" + ev.get("intervention") + ", " + attack + ", ε = " + d(ev, "radius") + ")";
    boolean attnChance = Boolean.TRUE.equals(ev.get("attn_at_chance"));
    boolean reluChance = Boolean.TRUE.equals(ev.get("relu_at_chance"));
    if (v.verdict().equals(Verdict.CONFOUNDED) && (attnChance || reluChance)) {
      if (attnChance && reluChance) {
        return "both networks are at chance (attn test accuracy " + num(d(ev, "attn_test_accuracy")) + ", relu "
            + num(d(ev, "relu_test_accuracy")) + ", chance " + num(d(ev, "attn_chance")) + ")";
      }
      String m = attnChance ? "attn" : "relu";
      return "the " + m + " network is at chance (test accuracy " + num(d(ev, m + "_test_accuracy")) + ", chance "
          + num(d(ev, m + "_chance")) + ")";
    }
    if (v.verdict().equals(Verdict.INCONCLUSIVE)) {
      return ev.get("reason") + where;
    }
    String attnExcess = excess(ev, "attn");
    String reluExcess = excess(ev, "relu");
    if (v.verdict().equals(Verdict.CONFOUNDED)) {
      return "neither attack beats random noise" + where + ": excess flip rate attn " + attnExcess + ", relu "
          + reluExcess;
    }
    Double lo = d(ev, "attn_excess_lo");
    Double rlo = d(ev, "relu_excess_lo");
    boolean bothAbove = lo != null && lo > 0 && rlo != null && rlo > 0;
    String paper = VerdictRules.PAPER;
    if (!bothAbove) {
      return "attn's attack " + noise(ev, "attn") + " (excess " + attnExcess + ") and relu's " + noise(ev, "relu")
          + " (excess " + reluExcess + ")" + where + "; " + paper;
    }
    String ratio = num(d(ev, "excess_ratio")) + " " + ratioInterval(ev) + "; " + paper;
    return switch (v.verdict()) {
      case Verdict.HIGHER -> "attn's excess flip rate is above relu's" + where + " (ratio " + ratio + ")";
      case Verdict.REVERSED -> "attn's excess flip rate is below relu's" + where + " (ratio " + ratio + ")";
      default -> "attn's and relu's excess flip rates cannot be told apart" + where + " (ratio " + ratio + ")";
    };
  }

  private static String excess(Map<String, Object> ev, String model) {
    return num(d(ev, model + "_excess")) + " " + interval(d(ev, model + "_excess_lo"), d(ev, model + "_excess_hi"));
  }

  private static String noise(Map<String, Object> ev, String model) {
    double lo = d(ev, model + "_excess_lo");
    double hi = d(ev, model + "_excess_hi");
    return lo > 0 ? "beats random noise" : hi < 0 ? "does worse than random noise" : "does no better than random noise";
  }

  private static String ratioInterval(Map<String, Object> ev) {
    Double hi = Boolean.TRUE.equals(ev.get("excess_ratio_hi_unbounded")) ? Double.POSITIVE_INFINITY
        : d(ev, "excess_ratio_hi");
    return interval(d(ev, "excess_ratio_lo"), hi);
  }

  private static String c4Sentence(Verdict v, Map<String, Object> ev) {
    String krr = "kernel ridge: attn " + orMissing(ev.get("krr_outcome")) + " (test MSE "
        + num(d(ev, "krr_test_mse_attn")) + " vs " + num(d(ev, "krr_test_mse_relu")) + ")";
    String net = "trained networks: attn " + orMissing(ev.get("net_outcome")) + " (test loss "
        + num(d(ev, "net_test_loss_attn")) + " " + interval(d(ev, "net_test_loss_attn_lo"),
        d(ev, "net_test_loss_attn_hi")) + " vs " + num(d(ev, "net_test_loss_relu")) + " "
        + interval(d(ev, "net_test_loss_relu_lo"), d(ev, "net_test_loss_relu_hi")) + ")";
    String head = switch (v.verdict()) {
      case Verdict.HOLDS -> "attention approximates better on both pieces — ";
      case Verdict.FAILS -> "attention approximates worse on both pieces — ";
      case Verdict.INCONCLUSIVE -> ev.get("reason") + " — ";
      default -> "";
    };
    return head + krr + "; " + net;
  }

  private static String orMissing(Object outcome) {
    return outcome == null ? "missing" : outcome.toString();
  }

  private static String dualSentence(Verdict v, Map<String, Object> ev) {
    return switch (v.verdict()) {
      case Verdict.HOLDS -> "attention is both more malleable (C3 transformed PGD higher at 0.3 and at "
          + set((List<?>) ev.get("other_radii_higher")) + ") and approximates better (C4 holds)";
      case Verdict.CONFOUNDED -> "C3 (transformed, PGD) is confounded " + ("confounded".equals(
          ((Map<?, ?>) ev.get("c3_transformed_pgd")).get("0.3")) ? "at radius 0.3" : "at every radius but 0.3")
          + " — a network at chance or attacks no better than random noise; C4 " + ev.get("c4");
      default -> String.valueOf(ev.get("reason"));
    };
  }


  static Double d(Map<String, Object> ev, String key) {
    return ev.get(key) instanceof Number n ? n.doubleValue() : null;
  }

  /** A number for a sentence: two decimals in [0.1, 1e4), two significant digits otherwise (e.g. 0.034, 2.0e+05). */
  static String num(Double v) {
    if (v == null || v.isNaN()) {
      return "n/a";
    }
    if (v.isInfinite()) {
      return v > 0 ? "∞" : "−∞";
    }
    double a = Math.abs(v);
    String s;
    if (v == 0) {
      s = "0";
    } else if (a >= 0.1 && a < 1e4) {
      s = String.format(Locale.ROOT, "%.2f", v);
    } else if (a >= 1e-4 && a < 0.1) {
      s = new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    } else {
      s = String.format(Locale.ROOT, "%.2g", v);
    }
    return s.startsWith("-") ? "−" + s.substring(1) : s;
  }

  static String interval(Double lo, Double hi) {
    return "[" + num(lo) + ", " + num(hi) + "]";
  }

  static String width(Double w) {
    if (w == null) {
      return "n/a";
    }
    return w >= 1e5 ? "10^" + num(Math.log10(w)) : String.format(Locale.ROOT, "%.0f", w);
  }

  static String set(List<?> values) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    for (Object o : values) {
      j.add(String.valueOf(o));
    }
    return j.toString();
  }
}
