#!/usr/bin/env bash
# Adds a job as a Spark step to a running EMR cluster:
#   submit/emr.sh [--dry-run] [--conf KEY=VALUE]... JOB [options]
#   e.g. NTK_EMR_CLUSTER_ID=j-2AXXXXXXGAPLF NTK_JAR_URI=s3://bucket/jars/ntk-attention-0.1.0-SNAPSHOT.jar \
#        submit/emr.sh spectrum --dataset fashion-mnist --data s3a://bucket/fashion-mnist \
#          --n 60000 --out s3a://bucket/runs/spectrum
# JOB is spectrum | kernel | sweep | train | influence | robustness | study | bench; everything
# after JOB is passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this script).
# Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...): s3a:// (or
# any URI the cluster can read), not local paths.
#
# Runs: aws emr add-steps --cluster-id $NTK_EMR_CLUSTER_ID --steps '[{"Type": "Spark", ...}]'
# The step's Args are spark-submit's: --deploy-mode cluster, --name, --class org.ntkstudy.launch.Launcher,
# a --conf for every setting of conf/spark-defaults.conf then conf/cluster.conf (read next to this
# script, so it works from any directory; a key in cluster.conf overrides one in
# spark-defaults.conf; then the --conf's given here), the jar's S3 URI, then JOB and its options.
# Left to EMR: its S3 committers (EMRFS S3-optimized, S3A magic: no committer is set here, and
# --hadoop-cloud is refused) and the Java module options (spark.driver/executor.defaultJavaOptions
# of cluster.conf are not passed: on YARN Spark adds the list itself, and EMR's own values stay).
# EMR 7.x runs Spark on Java 17 by default (AWS: "Configure applications to use a specific Java
# Virtual Machine"); on EMR 6.x (Java 8) the jar cannot load. The steps are given in the
# CLI's JSON form, not the Args=[a,b] shorthand, which cannot carry commas (--classes 0,6),
# blanks or quotes safely. EMR's own spark-defaults.conf still applies underneath the --conf's.
# --dry-run prints that command, shell-quoted for copy-paste, on stdout and runs nothing;
# otherwise the command is printed on stderr and executed (it prints the new step's id).
#
# Environment:
#   NTK_EMR_CLUSTER_ID  the cluster (j-...), required
#   NTK_JAR_URI         the application jar on S3 (s3://bucket/path/ntk-attention-0.1.0-SNAPSHOT.jar),
#                       required except with --dry-run. Upload it with
#                       aws s3 cp target/ntk-attention-0.1.0-SNAPSHOT.jar s3://bucket/jars/
#   NTK_DEPLOY_MODE     cluster (default: the driver runs in a YARN container) or client (the
#                       driver runs on the primary node; its log is then the step's stdout)
#   AWS_PROFILE, AWS_REGION  select the account and region, as for any aws command
set -euo pipefail

# shellcheck source=submit/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage_tail() {
  cat <<EOF
  --dry-run: print the aws emr add-steps command (shell-quoted) and run nothing.
  Environment: NTK_EMR_CLUSTER_ID, NTK_JAR_URI (s3://...), NTK_DEPLOY_MODE (cluster|client);
  see the header of this file.
EOF
}

parse_args "$@"
shift "$parsed"
refuse_hadoop_cloud "EMR's Spark has its own S3 committers (EMRFS S3-optimized and S3A magic)"
[ -n "${NTK_EMR_CLUSTER_ID:-}" ] || die "NTK_EMR_CLUSTER_ID is not set: export NTK_EMR_CLUSTER_ID=j-... (aws emr list-clusters --active)"
read_deploy_mode

remote_jar_uri "aws s3 cp" "s3://BUCKET/jars"
case "$jar_uri" in
  s3://?*|s3a://?*) ;;
  *) die "NTK_JAR_URI must be an s3:// URI, not '$jar_uri' (aws s3 cp $root/target/$jar_name s3://BUCKET/jars/)" ;;
esac

# --- settings: spark-defaults.conf then cluster.conf, later keys override ------------------------
read_conf "$root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"
drop_conf spark.driver.defaultJavaOptions
drop_conf spark.executor.defaultJavaOptions
apply_user_conf

# --- the step's spark-submit arguments (one option per printed line), built as cmd --------------
new_command
add_line --deploy-mode "$mode"
add_line --name "ntk-$job"
add_line --class org.ntkstudy.launch.Launcher
add_confs
add_line "$jar_uri"
add_line "$job"
add_job_options "$@"

# A JSON string literal of $1, into REPLY.
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  s="${s//$'\t'/\\t}"
  [[ "$s" != *[[:cntrl:]]* ]] || die "an argument holds a control character; JSON here cannot carry it: '$1'"
  REPLY="\"$s\""
}
json_string "ntk-$job"
steps="[{\"Type\": \"Spark\", \"Name\": $REPLY, \"ActionOnFailure\": \"CONTINUE\", \"Args\": ["
for i in "${!cmd[@]}"; do
  if [ "$i" -gt 0 ]; then
    if [ -n "${line_start[$i]:-}" ]; then steps+=$',\n    '; else steps+=", "; fi
  else
    steps+=$'\n    '
  fi
  json_string "${cmd[$i]}"
  steps+="$REPLY"
done
steps+="]}]"

# --- the command ---------------------------------------------------------------------------------
new_command
add_line aws emr add-steps
add_line --cluster-id "$NTK_EMR_CLUSTER_ID"
add_line --steps "$steps"

print_or_run "install the AWS CLI (https://aws.amazon.com/cli/)"
