package org.ntkstudy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntkstudy.UserInputException;
import org.ntkstudy.jobs.influence.InfluenceJob;
import picocli.CommandLine;

/** The influence job's attack radii: {@code --attack-eps} a list, {@code --eps} its alias, alone and in a study. */
class InfluenceCommandTest {
  static InfluenceJob.Config parse(String... args) {
    InfluenceCommand c = new InfluenceCommand();
    new CommandLine(c).parseArgs(args);
    return c.config();
  }

  @Test
  void epsIsAnAliasOfAttackEps() {
    assertEquals(parse("--out", "o", "--attack-eps", "0.1"), parse("--out", "o", "--eps", "0.1"));
    assertEquals(List.of(0.1), parse("--out", "o", "--eps", "0.1").attackEps());
    assertEquals(List.of(0.3), parse("--out", "o").attackEps(), "the default radius is 0.3");
    InfluenceJob.Config three = parse("--out", "o", "--attack-eps", "0.3,0.1,0.03");
    assertEquals(List.of(0.3, 0.1, 0.03), three.attackEps());
    assertEquals(0.3, three.eps(), "the first radius is the summary's top-level one");
    assertEquals(List.of(0.3, 0.1, 0.03), three.toMap().get("attack_eps"));
    assertEquals(three, parse("--out", "o", "--eps", "0.3,0.1,0.03"));
    assertEquals(2000, parse("--out", "o").bootstrap(), "SCIENCE §5's default B");
  }

  @Test
  void badRadiiAreClearErrors() {
    UserInputException e = assertThrows(UserInputException.class, () -> parse("--out", "o", "--attack-eps", "0.3,1.5"));
    assertTrue(e.getMessage().contains("--attack-eps") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> parse("--out", "o", "--eps", "0.1,0.1"));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void aStudySetsTheRadiiByEitherName() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("influence.attack-eps", "0.3,0.1");
    StudyCommand.validateKeys(settings);
    InfluenceJob.Config a = StudyCommand.parse(new InfluenceCommand(), "influence", settings).config();
    assertEquals(List.of(0.3, 0.1), a.attackEps());
    Map<String, String> old = Map.of("influence.eps", "0.3,0.1");
    StudyCommand.validateKeys(old);
    assertEquals(a, StudyCommand.parse(new InfluenceCommand(), "influence", old).config());
  }
}
