#!/usr/bin/env bash
# Runs a job on Google Cloud Dataproc: submit/dataproc.sh [--dry-run] [--conf KEY=VALUE]... JOB [options]
#   Serverless (the default): a batch on the Spark runtime 1.2 (Spark 3.5, Java 17, Scala 2.12),
#   no cluster to manage:
#     NTK_DATAPROC_REGION=europe-west1 NTK_JAR_URI=gs://bucket/jars/ntk-attention-0.1.0-SNAPSHOT.jar \
#       submit/dataproc.sh study --config fashion-mnist-paper --out gs://bucket/runs/fmnist
#   A cluster of yours (NTK_DATAPROC_CLUSTER set), which must run the job on Java 17 (see below):
#     NTK_DATAPROC_CLUSTER=ntk NTK_DATAPROC_JAVA_HOME=/usr/lib/jvm/temurin-17-jdk-amd64 ... submit/dataproc.sh ...
# JOB is spectrum | kernel | sweep | train | influence | robustness | study | bench; everything
# after JOB is passed to the job verbatim (so a --dry-run after JOB goes to the job, not to this
# script). Data and outputs are URIs passed as job options (--data, --out, --train-dir, ...):
# gs:// (or s3a:// with credentials), not local paths.
#
# Serverless runs: gcloud dataproc batches submit spark --region=$NTK_DATAPROC_REGION
#   --version=$NTK_DATAPROC_RUNTIME --class=org.ntkstudy.launch.Launcher --jars=$NTK_JAR_URI
#   --properties=<settings> -- JOB [options]
#   Runtime 1.2 is the one to use: its components are Spark 3.5, Java 17 and Scala 2.12; the 2.x
#   runtimes are Scala 2.13, which this jar (Scala 2.12) cannot run on, and 1.1 is Java 11 (Google's
#   "Serverless for Apache Spark runtime releases" page). Serverless refuses YARN properties
#   (spark.yarn.*: "the application will fail") and allocates 4, 8 or 16 driver and executor cores
#   with 1024m-7424m of memory per core, overhead included (its "Spark properties" page): so
#   spark.yarn.appMasterEnv.X becomes spark.dataproc.driverEnv.X and spark.submit.deployMode is
#   not set. Dynamic allocation is Serverless's own.
# Cluster runs: gcloud dataproc jobs submit spark --cluster=$NTK_DATAPROC_CLUSTER
#   --region=$NTK_DATAPROC_REGION --class=org.ntkstudy.launch.Launcher --jars=$NTK_JAR_URI
#   --properties=<settings> -- JOB [options]
#   Java: the jar's classes are Java 17 (class file version 61). Dataproc's cluster images 2.2 and
#   2.3 start Spark on Java 11 (issue 14: not verified here), where the job dies at once with
#   UnsupportedClassVersionError. So a cluster run needs one of:
#     NTK_DATAPROC_JAVA_HOME  a Java 17 installed at that path on every node (e.g. by an
#                             initialization action): the application master (the driver, cluster
#                             deploy mode) and the executors get JAVA_HOME=it
#                             (spark.yarn.appMasterEnv.JAVA_HOME, spark.executorEnv.JAVA_HOME);
#                             client deploy mode is refused, its driver would start on the
#                             master node's default Java
#     NTK_DATAPROC_JAVA=17    you state that the cluster's default Java is 17
#   and the script refuses to submit otherwise. (Neither has been run on Dataproc by this project.)
# Settings: every setting of conf/spark-defaults.conf then conf/cluster.conf (read next to this
# script, so it works from any directory; a later key overrides an earlier one), then the --conf's
# given here, as key=value, comma-separated (gcloud's ^DELIM^ form when a value holds a comma),
# except spark.driver/executor.defaultJavaOptions: Spark adds that list itself there, and
# Dataproc's own values stay. No output committer is set (Dataproc's GCS connector has its own).
# --dry-run prints the command, shell-quoted for copy-paste, on stdout and runs nothing; otherwise
# the command is printed on stderr and executed (gcloud waits for the job).
#
# Environment:
#   NTK_DATAPROC_REGION   the region (e.g. europe-west1), required
#   NTK_DATAPROC_RUNTIME  Serverless runtime version (default 1.2; 1.2.x accepted)
#   NTK_DATAPROC_CLUSTER  a cluster's name: submit to it instead of Serverless
#   NTK_DATAPROC_JAVA_HOME, NTK_DATAPROC_JAVA  a cluster's Java 17 (above)
#   NTK_JAR_URI           the application jar (gs://bucket/path/ntk-attention-0.1.0-SNAPSHOT.jar),
#                         required except with --dry-run. Upload it with
#                         gcloud storage cp target/ntk-attention-0.1.0-SNAPSHOT.jar gs://bucket/jars/
#   NTK_DEPLOY_MODE       cluster runs only: cluster (default: the driver runs in a YARN container on
#                         a worker, its log in YARN's) or client (Dataproc's own default: the driver
#                         runs on the master node and gcloud streams its output)
#   CLOUDSDK_CORE_PROJECT selects the project, as for any gcloud command
set -euo pipefail

# shellcheck source=submit/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
usage_tail() {
  cat <<EOF
  --dry-run: print the gcloud command (shell-quoted) and run nothing.
  Serverless (default): NTK_DATAPROC_REGION, NTK_DATAPROC_RUNTIME (1.2), NTK_JAR_URI (gs://...).
  A cluster: also NTK_DATAPROC_CLUSTER and NTK_DATAPROC_JAVA_HOME or NTK_DATAPROC_JAVA=17,
  NTK_DEPLOY_MODE (cluster|client); see the header of this file.
EOF
}

parse_args "$@"
shift "$parsed"
refuse_hadoop_cloud "Dataproc brings its own committers (gs:// through the Cloud Storage connector)"
[ -n "${NTK_DATAPROC_REGION:-}" ] || die "NTK_DATAPROC_REGION is not set: export NTK_DATAPROC_REGION=<a region, e.g. europe-west1>"
cluster_name="${NTK_DATAPROC_CLUSTER:-}"

if [ -z "$cluster_name" ]; then
  runtime="${NTK_DATAPROC_RUNTIME:-1.2}"
  case "$runtime" in
    1.2|1.2.*) ;;
    *) die "NTK_DATAPROC_RUNTIME=$runtime: use 1.2 (Spark 3.5, Java 17, Scala 2.12); 2.x runtimes are Scala 2.13 and 1.1 is Java 11, which this jar (Scala 2.12, Java 17) cannot run on" ;;
  esac
  [ -z "${NTK_DEPLOY_MODE:-}" ] || note "NTK_DEPLOY_MODE is for cluster runs: Serverless chooses where the driver runs"
else
  read_deploy_mode
  java_home="${NTK_DATAPROC_JAVA_HOME:-}"
  if [ -n "$java_home" ]; then
    [[ "$java_home" == /* ]] || die "NTK_DATAPROC_JAVA_HOME must be an absolute path on the nodes, not '$java_home'"
    [ "$mode" = cluster ] || die "NTK_DATAPROC_JAVA_HOME needs NTK_DEPLOY_MODE=cluster: a client-mode driver starts on the master node's default Java"
  elif [ "${NTK_DATAPROC_JAVA:-}" != 17 ]; then
    die "cluster $cluster_name: this jar needs Java 17 and Dataproc images 2.2 and 2.3 start Spark on Java 11 (UnsupportedClassVersionError): set NTK_DATAPROC_JAVA_HOME=<a Java 17 on every node>, or NTK_DATAPROC_JAVA=17 if the cluster's default Java is 17, or unset NTK_DATAPROC_CLUSTER to run on Serverless (runtime 1.2, Java 17)"
  fi
fi

remote_jar_uri "gcloud storage cp" "gs://BUCKET/jars"

# --- settings: spark-defaults.conf then cluster.conf, later keys override, then --conf ---------
read_conf "$root/conf/spark-defaults.conf"
read_conf "$root/conf/cluster.conf"
drop_conf spark.driver.defaultJavaOptions
drop_conf spark.executor.defaultJavaOptions
if [ -z "$cluster_name" ]; then
  # Serverless: no YARN properties; the driver's environment through its own property.
  for i in "${!conf_keys[@]}"; do
    key="${conf_keys[$i]}"
    case "$key" in
      spark.yarn.appMasterEnv.*) set_conf "spark.dataproc.driverEnv.${key#spark.yarn.appMasterEnv.}" "${conf_vals[$i]}" ;;
    esac
  done
  for key in "${conf_keys[@]}"; do
    case "$key" in spark.yarn.*) drop_conf "$key" ;; esac
  done
else
  set_conf spark.submit.deployMode "$mode"
  if [ -n "${java_home:-}" ]; then
    set_conf spark.yarn.appMasterEnv.JAVA_HOME "$java_home"
    set_conf spark.executorEnv.JAVA_HOME "$java_home"
  fi
fi
apply_user_conf

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
if [ -z "$cluster_name" ]; then
  add_line gcloud dataproc batches submit spark
  add_line "--region=$NTK_DATAPROC_REGION"
  add_line "--version=$runtime"
else
  add_line gcloud dataproc jobs submit spark
  add_line "--cluster=$cluster_name"
  add_line "--region=$NTK_DATAPROC_REGION"
fi
add_line --class=org.ntkstudy.launch.Launcher
add_line "--jars=$jar_uri"
add_line "--properties=$properties"
add_line -- "$job"
add_job_options "$@"

print_or_run "install the Google Cloud CLI (https://cloud.google.com/sdk)"
