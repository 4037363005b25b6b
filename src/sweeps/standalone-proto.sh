#!/usr/bin/env bash
# PROTOTYPE (issue 17): a Spark standalone cluster on 127.0.0.1 from the Maven jars (a master, two 1-core
# workers), the sweep TASKS submitted to it, worker 1 killed KILL_AFTER seconds after the driver starts
# (0: no kill), or, with KILL_AFTER=rN, once N results are in. Needs `mvn package` here.
# usage: standalone-proto.sh TASKS OUT [KILL_AFTER]
set -euo pipefail
cd "$(dirname "$0")"
# the class path (qnn-oracle + Spark), written once by Maven
[ -s target/classpath.txt ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
TASKS=$1; OUT=$2; KILL_AFTER=${3:-0}
FLAGS=$(sed -n 's/.*<spark.jvm.flags>\(.*\)<\/spark.jvm.flags>.*/\1/p' pom.xml)
H=$PWD/target/spark-home
rm -rf "$H" "$OUT"; mkdir -p "$H/jars" "$OUT"
# A SPARK_HOME whose jars/ is our class path: the worker builds each executor's class path from it.
for j in $(tr ':' ' ' < target/classpath.txt) target/qnn-oracle-sweeps-0.1.0-SNAPSHOT.jar; do ln -s "$(readlink -f "$j")" "$H/jars/"; done
export SPARK_HOME=$H SPARK_LOCAL_IP=127.0.0.1 OPENBLAS_NUM_THREADS=1
export SPARK_SCALA_VERSION=2.13
CP="$H/jars/*"
# master and workers log at INFO (the script waits on their lines); the jars' log4j2.properties says WARN
mkdir -p "$H/conf"; cat > "$H/conf/log4j2.properties" <<'L4J'
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
L4J
LOG="-Dlog4j2.configurationFile=$H/conf/log4j2.properties"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
MP=$(free_port)
t0=$(date +%s.%N)
java -Xmx512m $FLAGS "$LOG" -cp "$CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MP" --webui-port "$(free_port)" > "$OUT/master.log" 2>&1 &
MASTER=$!
pids=("$MASTER")
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
timeout 60 bash -c "until grep -q \"I have been elected leader\" $OUT/master.log 2>/dev/null; do sleep 0.1; done"
t1=$(date +%s.%N)
for w in 1 2; do
  java -Xmx512m $FLAGS "$LOG" -cp "$CP" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$MP" --host 127.0.0.1 \
    --cores 1 --memory 2g --webui-port "$(free_port)" --work-dir "$OUT/work$w" > "$OUT/worker$w.log" 2>&1 &
  pids+=("$!"); eval "W$w=$!"
done
timeout 60 bash -c "until [ \$(grep -c \"Registering worker\" $OUT/master.log) -ge 2 ]; do sleep 0.1; done"
t2=$(date +%s.%N)
echo "standalone: master up in $(echo "$t1 - $t0" | bc) s, two workers registered after $(echo "$t2 - $t0" | bc) s"
java -Xmx2g $FLAGS -Dspark.executor.memory=1g -Dspark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  -cp "$(cat target/classpath.txt):target/qnn-oracle-sweeps-0.1.0-SNAPSHOT.jar" org.qnnoracle.sweeps.SparkSweep \
  "$TASKS" "$OUT" --master "spark://127.0.0.1:$MP" > "$OUT/driver.log" 2>&1 &
DRIVER=$!
if [ "$KILL_AFTER" != 0 ]; then
  case "$KILL_AFTER" in
    r*) timeout 120 bash -c "until [ \$(grep -c '^sweep: \[' $OUT/driver.log) -ge ${KILL_AFTER#r} ]; do sleep 0.05; done" ;;
    *) sleep "$KILL_AFTER" ;;
  esac
  # the worker and the executor it launched (the executor's JVM is the worker's child)
  EXEC=$(pgrep -P "$W1" || true)
  echo "standalone: killing worker 1 (pid $W1) and its executor (${EXEC:-none}) $(echo "$(date +%s.%N) - $t2" | bc) s after the workers registered, $(grep -c '^sweep: \[' "$OUT/driver.log") result(s) in"
  kill -9 "$W1" $EXEC || true
fi
rc=0; wait "$DRIVER" || rc=$?
grep -E "^sweep:" "$OUT/driver.log" | grep -vE "^\s*at " | tail -30
echo "standalone: driver exit $rc; result files: $(ls "$OUT/results" | grep -c '\.json$')"
