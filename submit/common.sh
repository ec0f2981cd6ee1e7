# shellcheck shell=bash
# What submit/standalone.sh, yarn.sh, emr.sh and dataproc.sh share; each sources this file, which
# sits beside them (it is not a command of its own). It provides:
#   root, script, jar_name, jobs  the project root (the folder above this file, so conf/ is found
#                   from any directory), the sourcing script's name (e.g. yarn.sh, for messages),
#                   the jar's file name and the JOB names (|-separated)
#   die, note       an error (exit 2) or a note on stderr, prefixed with [script]
#   usage           the usage text: two common lines, then the script's own usage_tail function
#   parse_args "$@" the script's options (--dry-run, --conf KEY=VALUE, --hadoop-cloud[=VERSION],
#                   -h/--help) and JOB: sets dry_run, user_conf (the --conf settings, KEY=VALUE),
#                   hadoop_cloud (the spark-hadoop-cloud version, or empty), job and parsed, how
#                   many arguments they took (the caller then does shift "$parsed"; the rest go to
#                   the job verbatim)
#   read_deploy_mode  mode from NTK_DEPLOY_MODE: cluster (default) or client
#   local_jar [uri-ok]  jar: NTK_JAR or target/'s jar, built first when missing (noted with
#                   --dry-run); with uri-ok a URI is taken as it is
#   remote_jar_uri COPY DIR  jar_uri from NTK_JAR_URI; unset, a placeholder DIR/$jar_name with
#                   --dry-run, else an error saying how to upload it with COPY (e.g. aws s3 cp)
#   read_conf FILE  appends FILE's `key value` settings to conf_keys/conf_vals (a later key
#                   overrides an earlier one, keeping its place)
#   set_conf KEY VALUE, conf_value KEY (into REPLY, 1 when unset), drop_conf KEY
#   apply_user_conf  the --conf settings over the files' (last, so they win)
#   refuse_hadoop_cloud WHY  dies when --hadoop-cloud was given to a script that cannot use it
#   new_command, add_line WORD..., add_confs, add_job_options "$@"
#                   build cmd, the words of a command, and line_start, the indexes of the words
#                   that start a printed line: add_line starts one, add_confs adds a --conf line
#                   per setting, add_job_options starts one at each --option
#   quote, render   one word shell-quoted (into REPLY); cmd shell-quoted, one option a line
#   print_or_run HINT  --dry-run: print cmd on stdout and exit 0; otherwise die with
#                   "${cmd[0]} not found: HINT" when it is not on PATH, else print cmd on stderr
#                   and exec it
# Bash 3.2 compatible: no associative arrays, no mapfile.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="${BASH_SOURCE[1]##*/}"
jar_name="ntk-attention-0.1.0-SNAPSHOT.jar"
jobs="spectrum|kernel|sweep|train|influence|robustness|study|bench"

die() { echo "[$script] $*" >&2; exit 2; }
note() { echo "[$script] $*" >&2; }
usage() {
  cat <<EOF
usage: submit/$script [--dry-run] [--conf KEY=VALUE]... JOB [options]
  JOB: ${jobs//|/ | }; options go to the job verbatim (submit/local.sh JOB --help lists them).
  --conf KEY=VALUE: a Spark setting over conf/spark-defaults.conf and conf/cluster.conf (repeatable),
  e.g. --conf spark.executor.memory=4g.
EOF
  usage_tail
}

# --- arguments: this script's options, then JOB, then the job's options verbatim --------------
# The spark-hadoop-cloud module (PathOutputCommitProtocol, for the S3A magic committer) that
# --hadoop-cloud adds: Spark publishes no 3.5.9 of it on Maven Central; 3.5.8 is there and works
# with Spark 3.5.9 (issue 14). --hadoop-cloud=VERSION picks another (the cluster's Spark version).
hadoop_cloud_default="3.5.8"
parse_args() {
  dry_run=0
  parsed=0
  user_conf=()
  hadoop_cloud=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=1; shift; parsed=$((parsed + 1)) ;;
      --conf)
        [ $# -ge 2 ] || die "--conf needs KEY=VALUE"
        [[ "$2" == ?*=* ]] || die "--conf needs KEY=VALUE, not '$2'"
        user_conf+=("$2"); shift 2; parsed=$((parsed + 2)) ;;
      --conf=*)
        [[ "${1#--conf=}" == ?*=* ]] || die "--conf needs KEY=VALUE, not '${1#--conf=}'"
        user_conf+=("${1#--conf=}"); shift; parsed=$((parsed + 1)) ;;
      --hadoop-cloud) hadoop_cloud="$hadoop_cloud_default"; shift; parsed=$((parsed + 1)) ;;
      --hadoop-cloud=*)
        hadoop_cloud="${1#--hadoop-cloud=}"
        [[ "$hadoop_cloud" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--hadoop-cloud=VERSION needs a Spark version such as $hadoop_cloud_default, not '$hadoop_cloud'"
        shift; parsed=$((parsed + 1)) ;;
      -h|--help) usage; exit 0 ;;
      -*) die "unknown option '$1' before JOB (job options go after JOB); see submit/$script --help" ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || die "missing JOB; usage: submit/$script [--dry-run] JOB [options]"
  job="$1"
  parsed=$((parsed + 1))
  [[ "$job" =~ ^($jobs)$ ]] || die "unknown job '$job': one of ${jobs//|/, }"
}

read_deploy_mode() {
  mode="${NTK_DEPLOY_MODE:-cluster}"
  case "$mode" in cluster|client) ;; *) die "NTK_DEPLOY_MODE must be cluster or client, not '$mode'" ;; esac
}

# --- the jar spark-submit reads (YARN, standalone) ---------------------------------------------
local_jar() {
  jar="${NTK_JAR:-$root/target/$jar_name}"
  # With "uri-ok" a URI (hdfs://, …) is passed on as it is: spark-submit fetches it.
  if [ "${1:-}" = uri-ok ] && [[ "$jar" == *://* ]]; then
    return 0
  fi
  if [ ! -f "$jar" ]; then
    if [ -n "${NTK_JAR:-}" ]; then
      if [ "$dry_run" = 1 ]; then note "NTK_JAR=$jar does not exist"; else die "NTK_JAR=$jar does not exist"; fi
    elif [ "$dry_run" = 1 ]; then
      note "$jar is missing: a real run builds it first (mvn -q -B -DskipTests package)"
    else
      note "building the jar (mvn -q -B -DskipTests package)"
      (cd "$root" && mvn -q -B -DskipTests package) >&2
      [ -f "$jar" ] || die "the build did not produce $jar"
    fi
  fi
}

# --- the jar's URI on the cluster's storage (EMR, Dataproc) -------------------------------------
remote_jar_uri() {
  local copy="$1" dir="$2"
  jar_uri="${NTK_JAR_URI:-}"
  if [ -z "$jar_uri" ]; then
    if [ "$dry_run" = 1 ]; then
      jar_uri="$dir/$jar_name"
      note "NTK_JAR_URI is not set: the command shows $jar_uri"
    else
      die "NTK_JAR_URI is not set: upload the jar (mvn -B -DskipTests package builds it) with: $copy $root/target/$jar_name $dir/ && export NTK_JAR_URI=$dir/$jar_name"
    fi
  fi
}

# --- settings: `key value` lines (# or ! comments, `key=value` and `key: value` too) ------------
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
    set_conf "$key" "$value"
  done < "$file"
}
set_conf() {
  local i
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    if [ "${conf_keys[i]}" = "$1" ]; then conf_vals[i]="$2"; return 0; fi
  done
  conf_keys+=("$1")
  conf_vals+=("$2")
}
conf_value() {
  local i
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    if [ "${conf_keys[i]}" = "$1" ]; then REPLY="${conf_vals[i]}"; return 0; fi
  done
  REPLY=""
  return 1
}
drop_conf() {
  local i keys=() vals=()
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    if [ "${conf_keys[i]}" != "$1" ]; then keys+=("${conf_keys[i]}"); vals+=("${conf_vals[i]}"); fi
  done
  conf_keys=(${keys[@]+"${keys[@]}"})
  conf_vals=(${vals[@]+"${vals[@]}"})
}
apply_user_conf() {
  local kv
  for kv in ${user_conf[@]+"${user_conf[@]}"}; do
    set_conf "${kv%%=*}" "${kv#*=}"
  done
}
refuse_hadoop_cloud() {
  [ -z "$hadoop_cloud" ] || die "--hadoop-cloud is not for $script: $1"
}

# --- the command, one option per printed line ---------------------------------------------------
cmd=()
line_start=()
new_command() { cmd=(); line_start=(); }
add_line() { line_start[${#cmd[@]}]=1; cmd+=("$@"); }
add_confs() {
  local i
  for i in "${!conf_keys[@]}"; do
    add_line --conf "${conf_keys[$i]}=${conf_vals[$i]}"
  done
}
add_job_options() {
  local a
  for a in "$@"; do
    if [[ "$a" == --* ]]; then add_line "$a"; else cmd+=("$a"); fi
  done
}

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

print_or_run() {
  if [ "$dry_run" = 1 ]; then
    render
    exit 0
  fi
  command -v "${cmd[0]}" >/dev/null || die "${cmd[0]} not found: $1"
  render >&2
  exec "${cmd[@]}"
}
