#!/usr/bin/env bash
# Adds a job as a Spark step to a running EMR cluster: submit/emr.sh [--dry-run] JOB [options]
#   e.g. NTK_EMR_CLUSTER_ID=j-2AXXXXXXGAPLF NTK_JAR_URI=s3://bucket/jars/ntk-attention-0.1.0-SNAPSHOT.jar \
#        submit/emr.sh spectrum --dataset fashion-mnist --data s3a://bucket/fashion-mnist \
#          --n 60000 --out s3a://bucket/runs/spectrum
# JOB is spectrum | kernel | sweep | train | influence | study | bench; everything after JOB is
# passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this script).
# Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...): s3a:// (or
# any URI the cluster can read), not local paths.
#
# Runs: aws emr add-steps --cluster-id $NTK_EMR_CLUSTER_ID --steps '[{"Type": "Spark", ...}]'
# The step's Args are spark-submit's: --deploy-mode cluster, --name, --class org.ntkstudy.Main,
# a --conf for every setting of conf/spark-defaults.conf then conf/cluster.conf (read next to this
# script, so it works from any directory; a key in cluster.conf overrides one in
# spark-defaults.conf), the jar's S3 URI, then JOB and its options. The steps are given in the
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

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar_name="ntk-attention-0.1.0-SNAPSHOT.jar"
jobs="spectrum|kernel|sweep|train|influence|study|bench"

die() { echo "[emr.sh] $*" >&2; exit 2; }
note() { echo "[emr.sh] $*" >&2; }
usage() {
  cat <<EOF
usage: submit/emr.sh [--dry-run] JOB [options]
  JOB: ${jobs//|/ | }; options go to the job verbatim (submit/local.sh JOB --help lists them).
  --dry-run: print the aws emr add-steps command (shell-quoted) and run nothing.
  Environment: NTK_EMR_CLUSTER_ID, NTK_JAR_URI (s3://...), NTK_DEPLOY_MODE (cluster|client);
  see the header of this file.
EOF
}

# --- arguments: this script's options, then JOB, then the job's options verbatim --------------
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' before JOB (job options go after JOB); see submit/emr.sh --help" ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || die "missing JOB; usage: submit/emr.sh [--dry-run] JOB [options]"
job="$1"
shift
[[ "$job" =~ ^($jobs)$ ]] || die "unknown job '$job': one of ${jobs//|/, }"

[ -n "${NTK_EMR_CLUSTER_ID:-}" ] || die "NTK_EMR_CLUSTER_ID is not set: export NTK_EMR_CLUSTER_ID=j-... (aws emr list-clusters --active)"
mode="${NTK_DEPLOY_MODE:-cluster}"
case "$mode" in cluster|client) ;; *) die "NTK_DEPLOY_MODE must be cluster or client, not '$mode'" ;; esac

jar_uri="${NTK_JAR_URI:-}"
if [ -z "$jar_uri" ]; then
  if [ "$dry_run" = 1 ]; then
    jar_uri="s3://BUCKET/jars/$jar_name"
    note "NTK_JAR_URI is not set: the command shows $jar_uri"
  else
    die "NTK_JAR_URI is not set: upload the jar (mvn -B -DskipTests package builds it) with: aws s3 cp $root/target/$jar_name s3://BUCKET/jars/ && export NTK_JAR_URI=s3://BUCKET/jars/$jar_name"
  fi
fi
case "$jar_uri" in
  s3://?*|s3a://?*) ;;
  *) die "NTK_JAR_URI must be an s3:// URI, not '$jar_uri' (aws s3 cp $root/target/$jar_name s3://BUCKET/jars/)" ;;
esac

# --- settings: spark-defaults.conf then cluster.conf, `key value` lines, later keys override ---
conf_keys=()
conf_vals=()
read_conf() {
  local file="$1" line key value i
  [ -f "$file" ] || die "missing $file"
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*([#!]|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*([^=:[:space:]]+)[[:space:]]*[=:]?[[:space:]]*(.*)$ ]] || die "$file: cannot read '$line'"
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    value="${value%"${value##*[![:space:]]}"}"
    for ((i = 0; i < ${#conf_keys[@]}; i++)); do
      if [ "${conf_keys[$i]}" = "$key" ]; then conf_vals[$i]="$value"; continue 2; fi
    done
    conf_keys+=("$key")
    conf_vals+=("$value")
  done < "$file"
}
read_conf "$root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"

# --- the step's spark-submit arguments (one option per printed line) ----------------------------
sargs=()
arg_line=()
add_arg_line() { arg_line[${#sargs[@]}]=1; sargs+=("$@"); }
add_arg_line --deploy-mode "$mode"
add_arg_line --name "ntk-$job"
add_arg_line --class org.ntkstudy.Main
for i in "${!conf_keys[@]}"; do
  add_arg_line --conf "${conf_keys[$i]}=${conf_vals[$i]}"
done
add_arg_line "$jar_uri"
add_arg_line "$job"
for a in "$@"; do
  if [[ "$a" == --* ]]; then add_arg_line "$a"; else sargs+=("$a"); fi
done

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
for i in "${!sargs[@]}"; do
  if [ "$i" -gt 0 ]; then
    if [ -n "${arg_line[$i]:-}" ]; then steps+=$',\n    '; else steps+=", "; fi
  else
    steps+=$'\n    '
  fi
  json_string "${sargs[$i]}"
  steps+="$REPLY"
done
steps+="]}]"

# --- the command ---------------------------------------------------------------------------------
cmd=(aws emr add-steps --cluster-id "$NTK_EMR_CLUSTER_ID" --steps "$steps")
line_start=([3]=1 [5]=1)

# One shell word, quoted only when it needs it ('...' with '\'' for a quote), into REPLY.
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
    REPLY="$1"
  else
    REPLY="'${1//\'/\'\\\'\'}'"
  fi
}
render() {
  local i out=""
  for i in "${!cmd[@]}"; do
    if [ "$i" -gt 0 ]; then
      if [ -n "${line_start[$i]:-}" ]; then out+=$' \\\n  '; else out+=" "; fi
    fi
    quote "${cmd[$i]}"
    out+="$REPLY"
  done
  printf '%s\n' "$out"
}

if [ "$dry_run" = 1 ]; then
  render
  exit 0
fi
command -v aws >/dev/null || die "aws not found: install the AWS CLI (https://aws.amazon.com/cli/)"
render >&2
exec "${cmd[@]}"
