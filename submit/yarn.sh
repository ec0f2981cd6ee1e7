#!/usr/bin/env bash
# Submits a job to a YARN cluster with spark-submit: submit/yarn.sh [--dry-run] JOB [options]
#   e.g. submit/yarn.sh spectrum --dataset fashion-mnist --data s3a://bucket/fashion-mnist \
#          --n 60000 --out s3a://bucket/runs/spectrum
# JOB is spectrum | kernel | sweep | train | influence | study | bench; everything after JOB is
# passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this script).
# Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...): s3a://,
# gs:// or hdfs://, which every node can reach; not local paths.
#
# Runs: spark-submit --master yarn --deploy-mode cluster --class org.ntkstudy.Main
#   --properties-file conf/spark-defaults.conf, then every setting of conf/cluster.conf as --conf
#   (both read next to this script, so it works from any directory), the jar, JOB and its options.
# --dry-run prints that command, shell-quoted for copy-paste, on stdout and runs nothing (no
# build either); otherwise the command is printed on stderr and executed.
# Note: spark-submit reads a single properties file, so --properties-file replaces the site's
# $SPARK_CONF_DIR/spark-defaults.conf (Spark 3.5); put site settings you need into conf/cluster.conf.
#
# Environment:
#   NTK_JAR          the application jar (default target/ntk-attention-0.1.0-SNAPSHOT.jar, built
#                    with `mvn -q -B -DskipTests package` when missing)
#   NTK_DEPLOY_MODE  cluster (default: the driver runs in a YARN container) or client (the driver
#                    runs here)
#   SPARK_SUBMIT     the spark-submit program (default $SPARK_HOME/bin/spark-submit when
#                    SPARK_HOME is set, else spark-submit on PATH)
#   HADOOP_CONF_DIR / YARN_CONF_DIR  locate the cluster, as for any spark-submit to YARN
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_jar="$root/target/ntk-attention-0.1.0-SNAPSHOT.jar"
jobs="spectrum|kernel|sweep|train|influence|study|bench"

die() { echo "[yarn.sh] $*" >&2; exit 2; }
note() { echo "[yarn.sh] $*" >&2; }
usage() {
  cat <<EOF
usage: submit/yarn.sh [--dry-run] JOB [options]
  JOB: ${jobs//|/ | }; options go to the job verbatim (submit/local.sh JOB --help lists them).
  --dry-run: print the spark-submit command (shell-quoted) and run nothing.
  Environment: NTK_JAR, NTK_DEPLOY_MODE (cluster|client), SPARK_SUBMIT; see the header of this file.
EOF
}

# --- arguments: this script's options, then JOB, then the job's options verbatim --------------
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' before JOB (job options go after JOB); see submit/yarn.sh --help" ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || die "missing JOB; usage: submit/yarn.sh [--dry-run] JOB [options]"
job="$1"
shift
[[ "$job" =~ ^($jobs)$ ]] || die "unknown job '$job': one of ${jobs//|/, }"

mode="${NTK_DEPLOY_MODE:-cluster}"
case "$mode" in cluster|client) ;; *) die "NTK_DEPLOY_MODE must be cluster or client, not '$mode'" ;; esac
spark_submit="${SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}"

# --- settings: conf/cluster.conf, `key value` lines (# comments), later keys override ---------
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
[ -f "$root/conf/spark-defaults.conf" ] || die "missing $root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"

# --- the jar -----------------------------------------------------------------------------------
jar="${NTK_JAR:-$default_jar}"
if [ ! -f "$jar" ]; then
  if [ -n "${NTK_JAR:-}" ]; then
    [ "$dry_run" = 1 ] && note "NTK_JAR=$jar does not exist" || die "NTK_JAR=$jar does not exist"
  elif [ "$dry_run" = 1 ]; then
    note "$jar is missing: a real run builds it first (mvn -q -B -DskipTests package)"
  else
    note "building the jar (mvn -q -B -DskipTests package)"
    (cd "$root" && mvn -q -B -DskipTests package) >&2
    [ -f "$jar" ] || die "the build did not produce $jar"
  fi
fi

# --- the command, one option per printed line ---------------------------------------------------
cmd=()
line_start=()
add_line() { line_start[${#cmd[@]}]=1; cmd+=("$@"); }

add_line "$spark_submit"
add_line --master yarn
add_line --deploy-mode "$mode"
add_line --name "ntk-$job"
add_line --class org.ntkstudy.Main
add_line --properties-file "$root/conf/spark-defaults.conf"
for i in "${!conf_keys[@]}"; do
  add_line --conf "${conf_keys[$i]}=${conf_vals[$i]}"
done
add_line "$jar"
add_line "$job"
for a in "$@"; do
  if [[ "$a" == --* ]]; then add_line "$a"; else cmd+=("$a"); fi
done

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
command -v "$spark_submit" >/dev/null || die "$spark_submit not found: put Spark's bin on PATH, or set SPARK_HOME or SPARK_SUBMIT"
render >&2
exec "${cmd[@]}"
