#!/usr/bin/env bash
# Runs one sweep specification three ways and prints their wall times: (i) the engine-free loop in one JVM on one
# thread (--shard 1/1 --parallelism 1, -XX:ActiveProcessorCount=1), (ii) Spark local[2], (iii) a Spark standalone cluster on 127.0.0.1 (a master
# and two 1-core workers started here from a SPARK_HOME whose jars/ holds Spark's jars only; its start time is
# reported apart); then checks that the three result sets are equal, time, host and process aside (CompareResults).
# Every run gets a fresh output directory and OPENBLAS_NUM_THREADS=1. Needs `mvn package` in src/sweeps first.
# usage: src/sweeps/measure.sh SPEC [WORKDIR]     (WORKDIR default: src/sweeps/target/measure, emptied first)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 SPEC [WORKDIR]" >&2; exit 2; }
SPEC=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/target/qnn-oracle-sweeps.jar
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -f src/sweeps/pom.xml package -DskipTests" >&2; exit 2; }
W=$(readlink -m "${2:-$HERE/target/measure}")
rm -rf "$W"; mkdir -p "$W"
export OPENBLAS_NUM_THREADS=1
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sweep() { # NAME SWEEP-RUN-OPTIONS...: one timed run (java $JVM_OPTS) into $W/NAME, its progress in $W/NAME.log
  local name=$1; shift
  local t rc=0; t=$(now)
  # shellcheck disable=SC2086
  java $JVM_OPTS -jar "$JAR" sweep run "$SPEC" --out "$W/$name" "$@" 2> "$W/$name.log" || rc=$?
  echo "measure: $name: $(since "$t") s (exit $rc; $(grep -o 'ran [0-9]* task(s) in [0-9.]* s' "$W/$name.log" || echo 'no summary line'))"
}

# (i) one thread: one task at a time, and the JVM told it has one core, so the claims' own parallel code (replicas,
#     starts) runs on one thread too; (ii) local mode on both cores.
JVM_OPTS="-XX:ActiveProcessorCount=1"
sweep loop --shard 1/1 --parallelism 1
JVM_OPTS=""
sweep local --parallelism 2

# (iii) the standalone cluster. Master and workers are started with Spark's opens (pom.xml's spark.jvm.flags) and
# log at INFO (the lines awaited below); executors are the workers' children and get qnn-oracle through spark.jars.
FLAGS=$(sed -n 's/.*<spark.jvm.flags>\(.*\)<\/spark.jvm.flags>.*/\1/p' "$HERE/pom.xml")
H=$W/spark-home
mkdir -p "$H/jars" "$H/conf"
java -cp "$JAR" org.qnnoracle.spark.ExecutorJars spark | while read -r j; do ln -s "$j" "$H/jars/"; done
cat > "$H/conf/log4j2.properties" <<'L4J'
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
L4J
export SPARK_HOME=$H SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
pids=()
cleanup() { # the workers' executors, then the workers and the master (all started here)
  for p in "${pids[@]}"; do for c in $(pgrep -P "$p" || true); do kill -9 "$c" 2>/dev/null || true; done; done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
run_spark() { # LOG CLASS ARGS...
  local log=$1; shift
  # shellcheck disable=SC2086
  java -Xmx512m $FLAGS "-Dlog4j2.configurationFile=$H/conf/log4j2.properties" -cp "$H/jars/*" "$@" > "$log" 2>&1 &
  pids+=("$!")
}
t=$(now)
MP=$(free_port)
run_spark "$W/master.log" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MP" --webui-port "$(free_port)"
timeout 90 bash -c "until grep -q 'I have been elected leader' '$W/master.log' 2>/dev/null; do sleep 0.1; done"
for w in 1 2; do
  run_spark "$W/worker$w.log" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$MP" --host 127.0.0.1 \
    --cores 1 --memory 2g --webui-port "$(free_port)" --work-dir "$W/work$w"
done
timeout 90 bash -c "until [ \$(grep -c 'Registering worker' '$W/master.log') -ge 2 ]; do sleep 0.1; done"
echo "measure: standalone cluster (master + two 1-core workers) up in $(since "$t") s"
JVM_OPTS="-Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1"
sweep standalone --master "spark://127.0.0.1:$MP"

echo "measure: $(java -cp "$JAR" org.qnnoracle.spark.CompareResults "$W/loop" "$W/local" "$W/standalone")"
