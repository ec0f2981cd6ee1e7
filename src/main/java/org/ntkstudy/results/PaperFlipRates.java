package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's flip rates at ε = 0.3 in percent (SCIENCE §5), which the influence summary carries for
 * the report to show beside ours, labelled as the paper's: per setting in SCIENCE §5's order (MNIST
 * 10-class, CIFAR-10 10-class, MNIST 3-vs-8), relu before attn, each a list over {@code attacks}.
 *
 * @param source where the figures come from
 * @param mnist10Class MNIST 10-class
 * @param cifar10Class CIFAR-10 10-class
 * @param mnist3Vs8 MNIST 3 vs 8
 * @param attacks the attacks the lists follow, in order
 */
@JsonPropertyOrder({"source", "mnist_10class", "cifar10_10class", "mnist_3_vs_8", "attacks"})
public record PaperFlipRates(
    String source,
    @JsonProperty("mnist_10class") Rates mnist10Class,
    @JsonProperty("cifar10_10class") Rates cifar10Class,
    @JsonProperty("mnist_3_vs_8") Rates mnist3Vs8,
    List<String> attacks) {

  /**
   * One setting's flip rates per model, percent, one per attack.
   *
   * @param relu the 2-layer ReLU network's
   * @param attn the MLP-Attn network's
   */
  @JsonPropertyOrder({"relu", "attn"})
  public record Rates(List<Double> relu, List<Double> attn) {
    public Rates {
      relu = ResultJson.finite(relu);
      attn = ResultJson.finite(attn);
    }

    /** The flip rates of {@code model} ("relu" or "attn"), one per attack, or an empty list. */
    public List<Double> ofModel(String model) {
      List<Double> v = switch (model) {
        case "relu" -> relu;
        case "attn" -> attn;
        default -> null;
      };
      return v == null ? List.of() : v;
    }
  }

  /** arXiv 2603.13085's figures, as SCIENCE §5 quotes them (FGSM / PGD / MIM). */
  public static final PaperFlipRates PAPER = new PaperFlipRates(
      "arXiv 2603.13085, eps = 0.3, percent; FGSM / PGD / MIM (SCIENCE 5)",
      new Rates(List.of(4.1, 3.3, 3.4), List.of(34.6, 28.9, 21.9)),
      new Rates(List.of(3.3, 3.1, 3.2), List.of(26.4, 19.1, 20.5)),
      new Rates(List.of(8.4, 8.4, 8.6), List.of(25.9, 41.0, 40.5)),
      List.of("fgsm", "pgd", "mim"));

  public PaperFlipRates {
    attacks = attacks == null ? null : List.copyOf(attacks);
  }

  /** The settings that have figures, by their JSON key ({@code mnist_10class}, …), in the file's order. */
  public Map<String, Rates> settings() {
    Map<String, Rates> settings = new LinkedHashMap<>();
    if (mnist10Class != null) {
      settings.put("mnist_10class", mnist10Class);
    }
    if (cifar10Class != null) {
      settings.put("cifar10_10class", cifar10Class);
    }
    if (mnist3Vs8 != null) {
      settings.put("mnist_3_vs_8", mnist3Vs8);
    }
    return Collections.unmodifiableMap(settings);
  }

  /** The flip rates of {@code model} in {@code setting} (a JSON key), one per attack, or an empty list. */
  public List<Double> rates(String setting, String model) {
    Rates r = settings().get(setting);
    return r == null ? List.of() : r.ofModel(model);
  }

  /** The attacks the lists follow, or an empty list when the summary names none. */
  public List<String> attackList() {
    return attacks == null ? List.of() : attacks;
  }
}
