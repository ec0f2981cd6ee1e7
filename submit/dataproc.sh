#!/usr/bin/env bash
# Submits a job to a Dataproc cluster: submit/dataproc.sh [--dry-run] JOB [options]
#   e.g. NTK_DATAPROC_CLUSTER=ntk NTK_DATAPROC_REGION=europe-west1 \
#        NTK_JAR_URI=gs://bucket/jars/ntk-attention-0.1.0-SNAPSHOT.jar \
#        submit/dataproc.sh spectrum --dataset fashion-mnist --data gs://bucket/fashion-mnist \
#          --n 60000 --out gs://bucket/runs/spectrum
# JOB is spectrum | kernel | sweep | train | influence | study | bench; everything after JOB is
# passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this script).
# Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...): gs:// (or
# s3a:// with credentials on the cluster), not local paths.
#
# Runs: gcloud dataproc jobs submit spark --cluster=$NTK_DATAPROC_CLUSTER
#   --region=$NTK_DATAPROC_REGION --class=org.ntkstudy.Main --jars=$NTK_JAR_URI
#   --properties=<every setting of conf/spark-defaults.conf then conf/cluster.conf, key=value,
#   comma-separated; gcloud's ^DELIM^ form when a value holds a comma> -- JOB [options]
# The conf files are read next to this script, so it works from any directory; a key in
# cluster.conf overrides one in spark-defaults.conf; the cluster's own Spark defaults still
# apply underneath. spark.submit.deployMode is set from NTK_DEPLOY_MODE.
# --dry-run prints that command, shell-quoted for copy-paste, on stdout and runs nothing;
# otherwise the command is printed on stderr and executed (gcloud waits for the job).
#
# Environment:
#   NTK_DATAPROC_CLUSTER  the cluster name, required
#   NTK_DATAPROC_REGION   its region (e.g. europe-west1), required
#   NTK_JAR_URI           the application jar (gs://bucket/path/ntk-attention-0.1.0-SNAPSHOT.jar),
#                         required except with --dry-run. Upload it with
#                         gcloud storage cp target/ntk-attention-0.1.0-SNAPSHOT.jar gs://bucket/jars/
#   NTK_DEPLOY_MODE       cluster (default: the driver runs in a YARN container on a worker, its
#                         log in YARN's) or client (Dataproc's own default: the driver runs on the
#                         master node and gcloud streams its output; it then needs room there for
#                         spark.driver.memory)
#   CLOUDSDK_CORE_PROJECT selects the project, as for any gcloud command
set -euo pipefail

# shellcheck source=submit/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage_tail() {
  cat <<EOF
  --dry-run: print the gcloud command (shell-quoted) and run nothing.
  Environment: NTK_DATAPROC_CLUSTER, NTK_DATAPROC_REGION, NTK_JAR_URI (gs://...),
  NTK_DEPLOY_MODE (cluster|client); see the header of this file.
EOF
}

parse_args "$@"
shift "$parsed"
[ -n "${NTK_DATAPROC_CLUSTER:-}" ] || die "NTK_DATAPROC_CLUSTER is not set: export NTK_DATAPROC_CLUSTER=<cluster name> (gcloud dataproc clusters list --region=...)"
[ -n "${NTK_DATAPROC_REGION:-}" ] || die "NTK_DATAPROC_REGION is not set: export NTK_DATAPROC_REGION=<the cluster's region, e.g. europe-west1>"
read_deploy_mode

remote_jar_uri "gcloud storage cp" "gs://BUCKET/jars"

# --- settings: spark-defaults.conf then cluster.conf, later keys override ------------------------
read_conf "$root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"
conf_keys+=(spark.submit.deployMode)
conf_vals+=("$mode")

# --- --properties: k=v joined by commas, or by gcloud's ^D^ alternative delimiter when a value
# holds a comma (D: the first character no key or value contains) -------------------------------
pairs=()
for i in "${!conf_keys[@]}"; do
  pairs+=("${conf_keys[$i]}=${conf_vals[$i]}")
done
all="$(printf '%s\n' "${pairs[@]}")"
delim=","
prefix=""
if [[ "$all" == *,* ]]; then
  delim=""
  for d in '#' '@' '|' '~' ';' '%' '!' '+' '&' '*'; do
    if [[ "$all" != *"$d"* ]]; then delim="$d"; break; fi
  done
  [ -n "$delim" ] || die "no free delimiter for --properties: the settings use all of # @ | ~ ; % ! + & *"
  prefix="^$delim^"
fi
properties="$prefix${pairs[0]}"
for p in "${pairs[@]:1}"; do
  properties+="$delim$p"
done

# --- the command, one option per printed line ---------------------------------------------------
new_command
add_line gcloud dataproc jobs submit spark
add_line "--cluster=$NTK_DATAPROC_CLUSTER"
add_line "--region=$NTK_DATAPROC_REGION"
add_line --class=org.ntkstudy.Main
add_line "--jars=$jar_uri"
add_line "--properties=$properties"
add_line -- "$job"
add_job_options "$@"

print_or_run "install the Google Cloud CLI (https://cloud.google.com/sdk)"
