package org.ntkstudy.jobs.influence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntkstudy.io.Fingerprint;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Malleability;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.spark.CellGrid;
import org.ntkstudy.spark.GridJob;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The malleability cells of SCIENCE §5 — model × seed × attack × intervention × attack radius, one
 * Spark task each (curated attacks nothing: one cell per model and seed, whatever the radii),
 * or past the driver budget one after the other with every step in tiles — with their random-sign
 * control, the noise floor between seeds, and the top-k examples before and after the attack for
 * the report's image grids. The cells run on the grid engine ({@link CellGrid}): a resumed run
 * reads back the cells an interrupted one finished with the same settings.
 */
public final class MalleabilityStage {
  private static final Logger LOG = LoggerFactory.getLogger(MalleabilityStage.class);

  /** The axes of the malleability grid: a cell's key names them, so they are not in its fingerprint. */
  static final List<String> AXES = List.of("models", "seeds", "attacks", "interventions", "attack_eps");

  /** Settings that change no cell: the tables and analyses after the cells. */
  static final List<String> AFTER_CELLS = List.of("bootstrap", "transductive", "retrain_loo", "npy");

  /** One malleability cell: its index in the run's cell list and its key (model, seed, attack, intervention, radius). */
  public record Cell(int index, String key) implements CellGrid.Cell {}

  private final InfluenceContext ctx;
  private final CellGrid grid;

  /**
   * @param fingerprint the run's settings (the cells' settings are these without the grid's axes)
   * @param job the job the cells belong to: whether it resumes, and its test-only failure hook
   */
  public MalleabilityStage(InfluenceContext ctx, Fingerprint fingerprint, GridJob<?> job) {
    this.ctx = ctx;
    this.grid = job.grid(ctx.jsc(), "influence/cells", ctx.output(), fingerprint.without(AXES).without(AFTER_CELLS));
  }

  /**
   * Every cell of the clean runs {@code cleans}, in (radius, clean run, intervention, attack) order —
   * the first radius's cells, with curated, first and in the order of a run with one radius.
   */
  public MalleabilityTable run(List<CleanRun> cleans) {
    InfluenceJob.Config config = ctx.config();
    List<InfluenceWork.CellSpec> specs = specs(config, cleans.size());
    if (specs.isEmpty()) {
      return new MalleabilityTable(List.of());
    }
    List<InfluenceWork.CellFigures> figures = figures(specs, cleans);
    writeExamples(specs, cleans, figures);
    return table(config, specs, figures, cleans, ctx.k());
  }

  /**
   * The table of the cells {@code specs} with their {@code figures} (in {@code specs} order) of the
   * clean runs {@code cleans}, each row with its noise floor: the same examples' influence signs
   * under the model's next seed, no attack (SCIENCE §5). The influence job and the robustness job
   * (per dataset, input normalisation and kernel) build their tables with it.
   */
  public static MalleabilityTable table(InfluenceJob.Config config, List<InfluenceWork.CellSpec> specs,
      List<InfluenceWork.CellFigures> figures, List<CleanRun> cleans, int k) {
    List<MalleabilityRow> rows = new ArrayList<>();
    for (int r = 0; r < specs.size(); r++) {
      InfluenceWork.CellSpec cs = specs.get(r);
      InfluenceWork.CellFigures f = figures.get(r);
      CleanRun c = cleans.get(cs.clean());
      CleanRun other = c.nextSeed(cleans);
      double floor = Double.NaN;
      boolean[] floorFlips = null;
      if (other != null) {
        int[] ranking = Malleability.rankByMagnitude(c.totals());
        int[] examples = cs.intervention().equals("curated") ? Arrays.copyOfRange(ranking, k, 2 * k)
            : Arrays.copyOf(ranking, k);
        floor = Malleability.flipRate(c.totals(), other.totals(), examples);
        floorFlips = Malleability.flips(c.totals(), other.totals(), examples);
      }
      rows.add(new MalleabilityRow(config.models().get(c.modelIndex()).key(), cs.attack(), cs.intervention(),
          c.net().seed(), f.flipRate(), f.spearman(), f.topkOverlap(), f.controlRandom(), floor, cs.eps(), f.flips(),
          f.controlFlips(), floorFlips));
    }
    return new MalleabilityTable(rows);
  }

  /**
   * The cells of a run with {@code cleanRuns} clean (model, seed) runs: for each radius of {@code
   * --attack-eps}, each clean run, each intervention, each attack; curated (no attack, no radius)
   * once per clean run, with the first radius.
   */
  public static List<InfluenceWork.CellSpec> specs(InfluenceJob.Config config, int cleanRuns) {
    List<InfluenceWork.CellSpec> specs = new ArrayList<>();
    for (int ri = 0; ri < config.attackEps().size(); ri++) {
      double eps = config.attackEps().get(ri);
      for (int ci = 0; ci < cleanRuns; ci++) {
        for (String iv : config.interventions()) {
          if (iv.equals("curated")) {
            if (ri == 0) {
              specs.add(new InfluenceWork.CellSpec(ci, "none", iv, Double.NaN));
            }
          } else {
            for (Attacks.Kind a : config.attacks()) {
              specs.add(new InfluenceWork.CellSpec(ci, a.key(), iv, eps));
            }
          }
        }
      }
    }
    return specs;
  }

  /**
   * A cell's key on the grid (a file name): {@code <model>_seed<seed>_<attack>_<intervention>}, and
   * for an attacked cell {@code _eps<radius>} (the radius as Java prints it) — so the cells of two
   * radii never share a file, and a resumed run with other radii keeps the radii it shares.
   */
  static String cellKey(String model, long seed, InfluenceWork.CellSpec cs) {
    String key = model + "_seed" + seed + "_" + cs.attack() + "_" + cs.intervention();
    return Double.isNaN(cs.eps()) ? key : key + "_eps" + cs.eps();
  }

  /** The cells' figures in {@code specs} order: read back from the grid's kept cells, else computed. */
  private List<InfluenceWork.CellFigures> figures(List<InfluenceWork.CellSpec> specs, List<CleanRun> cleans) {
    JavaSparkContext jsc = ctx.jsc();
    InfluenceJob.Config cfg = ctx.config();
    List<Cell> cells = new ArrayList<>();
    for (int r = 0; r < specs.size(); r++) {
      InfluenceWork.CellSpec cs = specs.get(r);
      CleanRun c = cleans.get(cs.clean());
      cells.add(new Cell(r, cellKey(cfg.models().get(c.modelIndex()).key(), c.net().seed(), cs)));
    }
    int k = ctx.k();
    List<Broadcast<InfluenceWork.Setup>> setups = ctx.setups();
    if (ctx.factorisation().tiled()) {
      // Past the driver budget a cell's kernel does not fit a task: the cells run one after the
      // other from here, each attack, kernel and factorisation spread over the executors.
      return grid.runOnDriver(cells, cell -> {
        InfluenceWork.CellSpec cs = specs.get(cell.index());
        CleanRun c = cleans.get(cs.clean());
        Broadcast<InfluenceWork.Setup> setup = setups.get(c.modelIndex());
        String tag = cfg.models().get(c.modelIndex()).key() + "/seed=" + c.net().seed() + "/" + cs.attack() + "/"
            + cs.intervention() + (Double.isNaN(cs.eps()) ? "" : "/eps=" + cs.eps());
        return Stages.run(jsc, "influence/cell", "malleability cell " + tag + " in tiles",
            () -> cell(new TiledCellEngine(jsc, setup, cfg.lambda(), ctx.factorisation().tile(), tag), cfg, cs, c,
                setup.value(), k));
      });
    }
    Broadcast<ArrayList<CleanRun>> sh = grid.broadcast(new ArrayList<>(cleans));
    List<InfluenceWork.CellFigures> figures = grid.run(cells, specs.size()
        + " malleability cells (models x seeds x attacks x interventions x radii), each with its random-sign control",
        cell -> {
          InfluenceWork.CellSpec cs = specs.get(cell.index());
          CleanRun c = sh.value().get(cs.clean());
          return cell(InfluenceWork.LOCAL, cfg, cs, c, setups.get(c.modelIndex()).value(), k);
        });
    grid.release();
    return figures;
  }

  /** One malleability cell of the clean run {@code c} (SCIENCE §5), its recomputations by {@code engine}. */
  static InfluenceWork.CellFigures cell(InfluenceWork.Engine engine, InfluenceJob.Config cfg,
      InfluenceWork.CellSpec cs, CleanRun c, InfluenceWork.Setup s, int k) {
    InfluenceWork.Net net = c.net();
    Attacks.Kind kind = cs.attack().equals("none") ? null : Attacks.Kind.parse(cs.attack());
    // Curated attacks nothing: its parameters are never used.
    Attacks.Params params = Attacks.Params.defaults(kind == null ? Attacks.Kind.FGSM : kind,
        Double.isNaN(cs.eps()) ? cfg.eps() : cs.eps());
    InfluenceWork.Retrain retrain = null;
    if (cfg.retrain() && s.empirical) {
      Matrix w0 = TwoLayerNetwork.initial(cfg.width(), s.x.cols(), cfg.sigma0(), net.seed(), cfg.symmetric())
          .weights();
      retrain = new InfluenceWork.Retrain(w0, Networks.recipe(cfg, cfg.optimizer(), InfluenceWork.modelInputs(s,
          s.pixels)[0], w0, cfg.weightDecay()), net.seed());
    }
    return InfluenceWork.cell(engine, s, net,
        InfluenceWork.Intervention.valueOf(cs.intervention().toUpperCase(Locale.ROOT)), kind, params,
        c.totals(), Malleability.rankByMagnitude(c.totals()), k, c.spec(), net.seed(), retrain);
  }

  /**
   * For the report's image grids: per model and attack, the first seed's top-k training examples
   * (transformed intervention, first attack radius) before and after the attack — {@code examples/<model>_clean.npy},
   * {@code examples/<model>_<attack>.npy} (k×d pixels) and {@code examples/<model>_<attack>.csv}
   * (rank, train_index, source_index, label, influence_before, influence_after).
   */
  private void writeExamples(List<InfluenceWork.CellSpec> specs, List<CleanRun> cleans,
      List<InfluenceWork.CellFigures> figures) {
    RunOutput out = ctx.output();
    int k = ctx.k();
    int[] sourceIndex = ctx.data().train().sourceIndex();
    int[] labels = ctx.data().train().labels();
    for (int r = 0; r < specs.size(); r++) {
      InfluenceWork.CellSpec cs = specs.get(r);
      InfluenceWork.CellFigures f = figures.get(r);
      CleanRun c = cleans.get(cs.clean());
      if (f.topAttacked() == null || !"transformed".equals(cs.intervention())
          || c.net().seed() != ctx.config().data().seed() || cs.eps() != ctx.config().eps()) {
        continue;
      }
      InfluenceWork.Setup s = ctx.setups().get(c.modelIndex()).value();
      int[] top = Arrays.copyOf(Malleability.rankByMagnitude(c.totals()), k);
      String model = s.model.key();
      out.writeNpy("examples/" + model + "_clean.npy", s.pixels.selectRows(top));
      out.writeNpy("examples/" + model + "_" + cs.attack() + ".npy", f.topAttacked());
      double[] after = f.topAfter();
      StringBuilder csv = new StringBuilder("rank,train_index,source_index,label,influence_before,influence_after\n");
      for (int q = 0; q < k; q++) {
        int i = top[q];
        csv.append(q + 1).append(',').append(i).append(',').append(sourceIndex[i]).append(',').append(labels[i])
            .append(',').append(c.totals()[i]).append(',').append(after[q]).append('\n');
      }
      out.writeText("examples/" + model + "_" + cs.attack() + ".csv", csv.toString());
    }
  }
}
