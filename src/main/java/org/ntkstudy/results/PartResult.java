package org.ntkstudy.results;

/**
 * What every part of a study states alike (spectrum, sweep, train, influence): the dataset, how many
 * training examples, where the result came from and how long its job took; the report's headline and
 * provenance table read these from each part without knowing which part it is.
 */
public interface PartResult {
  /** The dataset's name, or null. */
  String dataset();

  /** n, the number of training examples. */
  int n();

  /** Where the result came from, or null when the summary has none. */
  ProvenanceRecord provenance();

  /** The job's seconds, or null. */
  Double totalS();
}
