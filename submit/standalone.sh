#!/usr/bin/env bash
# Submits a job to a Spark standalone cluster (a Master and its Workers, yours):
#   submit/standalone.sh [--dry-run] [--conf KEY=VALUE]... [--hadoop-cloud[=VERSION]] JOB [options]
#   e.g. NTK_MASTER=spark://master.example:7077 submit/standalone.sh study --config tiny \
#          --out hdfs://namenode:8020/runs/tiny
# JOB is spectrum | kernel | sweep | train | influence | robustness | study | bench; everything
# after JOB is passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this
# script). Data and outputs are paths or URIs that the driver and every executor can reach: a
# shared file system, hdfs://, s3a:// (with --hadoop-cloud for the magic committer) or gs://.
#
# Runs: spark-submit --master $NTK_MASTER --deploy-mode client|cluster --class org.ntkstudy.launch.Launcher
#   --properties-file conf/spark-defaults.conf, then every setting of conf/cluster.conf as --conf
#   (read next to this script, so it works from any directory), then the --conf's given here, the
#   jar, JOB and its options.
# Cluster deploy mode: the driver then runs in a JVM that a Worker starts, which gets no Java 17
#   module options from Spark (3.5: deploy/Client.scala passes only spark.driver.extraJavaOptions),
#   so this script puts spark.driver.defaultJavaOptions (Spark's --add-opens list, in
#   conf/cluster.conf) in front of spark.driver.extraJavaOptions. The jar's path must exist on
#   every Worker (or be an hdfs:// or http:// URL). spark-submit returns once the driver is
#   accepted unless spark.standalone.submit.waitAppCompletion=true (then it polls until the
#   driver ends; its exit code does not tell success: see the Master's web UI or the driver's
#   stderr in the Worker's work folder).
# --hadoop-cloud[=VERSION]: adds --packages org.apache.spark:spark-hadoop-cloud_2.12:VERSION
#   (default 3.5.8: Spark publishes no 3.5.9 of it) and the S3A magic committer settings of
#   conf/hadoop-cloud.conf; spark-submit downloads the package and its dependencies (hadoop-aws
#   with the AWS SDK bundle, hadoop-azure, the GCS connector: large) from Maven Central into ~/.ivy2
#   on the submitting machine.
# --dry-run prints that command, shell-quoted for copy-paste, on stdout and runs nothing (no build
# either); otherwise the command is printed on stderr and executed.
#
# Environment:
#   NTK_MASTER       the master URL, spark://HOST:PORT (required)
#   NTK_JAR          the application jar (default target/ntk-attention-0.1.0-SNAPSHOT.jar, built
#                    with `mvn -q -B -DskipTests package` when missing)
#   NTK_DEPLOY_MODE  client (default: the driver runs here, its log on this terminal) or cluster
#                    (a Worker runs the driver)
#   SPARK_SUBMIT     the spark-submit program (default $SPARK_HOME/bin/spark-submit when
#                    SPARK_HOME is set, else spark-submit on PATH)
set -euo pipefail

# shellcheck source=submit/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage_tail() {
  cat <<EOF
  --hadoop-cloud[=VERSION]: add spark-hadoop-cloud_2.12 (default $hadoop_cloud_default) and the S3A magic
  committer of conf/hadoop-cloud.conf.
  --dry-run: print the spark-submit command (shell-quoted) and run nothing.
  Environment: NTK_MASTER (spark://HOST:PORT), NTK_JAR, NTK_DEPLOY_MODE (client|cluster),
  SPARK_SUBMIT; see the header of this file.
EOF
}

parse_args "$@"
shift "$parsed"
[ -n "${NTK_MASTER:-}" ] || die "NTK_MASTER is not set: export NTK_MASTER=spark://HOST:7077 (the master's URL, on its web UI)"
case "$NTK_MASTER" in
  spark://?*) ;;
  *) die "NTK_MASTER must be a standalone master URL spark://HOST:PORT, not '$NTK_MASTER' (YARN: submit/yarn.sh; this machine: submit/local.sh)" ;;
esac
mode="${NTK_DEPLOY_MODE:-client}"
case "$mode" in cluster|client) ;; *) die "NTK_DEPLOY_MODE must be client or cluster, not '$mode'" ;; esac
spark_submit="${SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}"

# --- settings: conf/cluster.conf (spark-defaults.conf goes as the --properties-file), the
# committer with --hadoop-cloud, then --conf ------------------------------------------------------
[ -f "$root/conf/spark-defaults.conf" ] || die "missing $root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"
[ -z "$hadoop_cloud" ] || read_conf "$root/conf/hadoop-cloud.conf"
apply_user_conf
if [ "$mode" = cluster ] && conf_value spark.driver.defaultJavaOptions; then
  defaults="$REPLY"
  conf_value spark.driver.extraJavaOptions || true
  set_conf spark.driver.extraJavaOptions "$defaults${REPLY:+ $REPLY}"
  drop_conf spark.driver.defaultJavaOptions
fi

# --- the jar -----------------------------------------------------------------------------------
local_jar uri-ok

# --- the command, one option per printed line ---------------------------------------------------
new_command
add_line "$spark_submit"
add_line --master "$NTK_MASTER"
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
