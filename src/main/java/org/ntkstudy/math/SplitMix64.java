package org.ntkstudy.math;

/**
 * The definition of "SplitMix64(seed, index)" in SCIENCE §0: the index-th output (0-based) of
 * Steele, Lea and Flood's SplitMix64 generator seeded with {@code seed}, computable for any index
 * without stepping through the ones before it, so a subset does not depend on reading order.
 *
 * <p>Generator: state s₀ = seed, s_{k+1} = s_k + 0x9E3779B97F4A7C15 (mod 2⁶⁴), output k =
 * mix(s_{k+1}). Values are ranked as unsigned 64-bit integers ({@link Long#compareUnsigned}),
 * ties by index.
 */
public final class SplitMix64 {
  /** The golden-ratio increment of the generator's state (2⁶⁴/φ, odd). */
  public static final long GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix64() {}

  /** The SplitMix64 output function (a bijection of 64-bit values). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The {@code index}-th output (0-based) of SplitMix64 seeded with {@code seed}. */
  public static long at(long seed, long index) {
    return mix(seed + (index + 1) * GAMMA);
  }
}
