package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The {@code kernel} job's {@code summary.json} (SCIENCE §2): which kernel (H∞ or Θ_m of a model),
 * its size, trace, Frobenius norm and spectrum figures. The top-k keys are present only when a
 * top-k was asked for, the residuals only when it came from block Lanczos.
 *
 * @param model "relu" or "attn"
 * @param kind "analytic" (H∞) or "empirical" (Θ_m)
 * @param width m of an empirical kernel, null for H∞
 * @param trace trace(K)
 * @param frobenius ‖K‖_F
 * @param lambdaMax λ1, null when K did not fit the driver and no top-k was computed
 * @param lambdaMin λn (reported as it is, even slightly negative), null when K did not fit the driver
 * @param kappa λ1 / λn, null when λn ≤ 0 or unknown
 * @param topEigenvalues the top-k eigenvalues, or absent
 * @param topEigenvaluesMethod how they were computed, or absent
 * @param topEigenvalueResiduals block Lanczos's residual norms, or absent
 * @param blocksBytesEstimate the bytes of the kernel blocks written
 * @param totalS the job's seconds
 */
@JsonPropertyOrder({"job", "model", "kind", "width", "n", "n_test", "d", "block", "trace", "frobenius", "lambda_max",
    "lambda_min", "kappa", "top_eigenvalues", "top_eigenvalues_method", "top_eigenvalue_residuals",
    "blocks_bytes_estimate", "total_s", "provenance"})
public record KernelResult(
    String job,
    String model,
    String kind,
    Integer width,
    int n,
    @JsonProperty("n_test") int nTest,
    int d,
    int block,
    Double trace,
    Double frobenius,
    @JsonProperty("lambda_max") Double lambdaMax,
    @JsonProperty("lambda_min") Double lambdaMin,
    Double kappa,
    @JsonProperty("top_eigenvalues") @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> topEigenvalues,
    @JsonProperty("top_eigenvalues_method") @JsonInclude(JsonInclude.Include.NON_NULL) String topEigenvaluesMethod,
    @JsonProperty("top_eigenvalue_residuals") @JsonInclude(JsonInclude.Include.NON_NULL)
        List<Double> topEigenvalueResiduals,
    @JsonProperty("blocks_bytes_estimate") long blocksBytesEstimate,
    @JsonProperty("total_s") Double totalS,
    ProvenanceRecord provenance) {

  /** The value of {@code job}. */
  public static final String JOB = "kernel";

  public KernelResult {
    trace = ResultJson.finite(trace);
    frobenius = ResultJson.finite(frobenius);
    lambdaMax = ResultJson.finite(lambdaMax);
    lambdaMin = ResultJson.finite(lambdaMin);
    kappa = ResultJson.finite(kappa);
    topEigenvalues = ResultJson.finite(topEigenvalues);
    topEigenvalueResiduals = ResultJson.finite(topEigenvalueResiduals);
    totalS = ResultJson.finite(totalS);
  }
}
