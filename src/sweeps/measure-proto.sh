#!/usr/bin/env bash
# PROTOTYPE measurements (issue 17): the cal40 sweep (40 seeds x the claims cheaper than 340 ms at default) as
# a one-thread loop, on local[2] in process, on the standalone cluster; the child-JVM mode on 2 seeds only.
set -uo pipefail
cd "$(dirname "$0")"
# the class path (qnn-oracle + Spark), written once by Maven
[ -s target/classpath.txt ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP=target/classes:$(cat target/classpath.txt); FLAGS=$(sed -n 's/.*<spark.jvm.flags>\(.*\)<\/spark.jvm.flags>.*/\1/p' pom.xml)
export OPENBLAS_NUM_THREADS=1
P=target/proto
t() { local s=$(date +%s.%N); "$@"; echo "WALL $(echo "$(date +%s.%N) - $s" | bc) s: ${*: -4}"; }
rm -rf $P/cal40-loop $P/cal40-local2 $P/cal2-child-local2 $P/cal2-loop
t java -XX:ActiveProcessorCount=1 -Xmx3g $FLAGS -cp $CP org.qnnoracle.sweeps.SparkSweep $P/cal40.jsonl $P/cal40-loop --master loop | tail -1
t java -Xmx3g $FLAGS -cp $CP org.qnnoracle.sweeps.SparkSweep $P/cal40.jsonl $P/cal40-local2 --master 'local[2]' | grep -E "engine|job|done"
python3 compare.py $P/cal40-loop $P/cal40-local2
t ./standalone-proto.sh $P/cal40.jsonl $P/cal40-standalone 0 | grep -E "standalone|engine|job|done"
python3 compare.py $P/cal40-loop $P/cal40-standalone
t java -Xmx3g $FLAGS -cp $CP org.qnnoracle.sweeps.SparkSweep $P/cal2.jsonl $P/cal2-child-local2 --master 'local[2]' --mode child | grep -E "engine|job|done"
python3 compare.py $P/cal40-loop $P/cal2-child-local2
# resume: rerun of a finished sweep runs nothing
t java -Xmx3g $FLAGS -cp $CP org.qnnoracle.sweeps.SparkSweep $P/cal40.jsonl $P/cal40-local2 --master 'local[2]' | head -1
