#!/usr/bin/env bash
# Submits a job to a YARN cluster with spark-submit:
#   submit/yarn.sh [--dry-run] [--conf KEY=VALUE]... [--hadoop-cloud[=VERSION]] JOB [options]
#   e.g. submit/yarn.sh spectrum --dataset fashion-mnist --data s3a://bucket/fashion-mnist \
#          --n 60000 --out s3a://bucket/runs/spectrum
# JOB is spectrum | kernel | sweep | train | influence | robustness | study | bench; everything
# after JOB is passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this script).
# Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...): s3a://,
# gs:// or hdfs://, which every node can reach; not local paths.
#
# Runs: spark-submit --master yarn --deploy-mode cluster --class org.ntkstudy.launch.Launcher
#   --properties-file conf/spark-defaults.conf, then every setting of conf/cluster.conf as --conf
#   (both read next to this script, so it works from any directory), then the --conf's given here,
#   the jar, JOB and its options.
# --hadoop-cloud[=VERSION]: adds --packages org.apache.spark:spark-hadoop-cloud_2.12:VERSION
#   (default 3.5.8: Spark publishes no 3.5.9 of it; use the cluster's Spark version when it is
#   published) and the S3A magic committer settings of conf/hadoop-cloud.conf. Without it, Parquet
#   goes through Spark's default file committer (a vendor's Spark, e.g. EMR's, brings its own).
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

# shellcheck source=submit/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage_tail() {
  cat <<EOF
  --hadoop-cloud[=VERSION]: add spark-hadoop-cloud_2.12 (default $hadoop_cloud_default) and the S3A magic
  committer of conf/hadoop-cloud.conf.
  --dry-run: print the spark-submit command (shell-quoted) and run nothing.
  Environment: NTK_JAR, NTK_DEPLOY_MODE (cluster|client), SPARK_SUBMIT; see the header of this file.
EOF
}

parse_args "$@"
shift "$parsed"
read_deploy_mode
spark_submit="${SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}"

# --- settings: conf/cluster.conf; spark-defaults.conf goes as the --properties-file -------------
[ -f "$root/conf/spark-defaults.conf" ] || die "missing $root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"
[ -z "$hadoop_cloud" ] || read_conf "$root/conf/hadoop-cloud.conf"
apply_user_conf

# --- the jar -----------------------------------------------------------------------------------
local_jar

# --- the command, one option per printed line ---------------------------------------------------
new_command
add_line "$spark_submit"
add_line --master yarn
add_line --deploy-mode "$mode"
add_line --name "ntk-$job"
add_line --class org.ntkstudy.launch.Launcher
add_line --properties-file "$root/conf/spark-defaults.conf"
[ -z "$hadoop_cloud" ] || add_line --packages "org.apache.spark:spark-hadoop-cloud_2.12:$hadoop_cloud"
add_confs
add_line "$jar"
add_line "$job"
add_job_options "$@"

print_or_run "put Spark's bin on PATH, or set SPARK_HOME or SPARK_SUBMIT"
