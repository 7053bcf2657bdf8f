#!/bin/sh
# run.sh - run each libFuzzer target for SECONDS, from its seed corpus in
# tests/fuzz/corpus/NAME, and report the executions it reached. What the
# fuzzer adds to the corpus stays in a scratch directory. A crash, a leak
# or a sanitizer report fails the run and keeps the log.
#
#   sh tests/fuzz/run.sh SECONDS tests/fuzz/fuzz_escape tests/fuzz/fuzz_opts
seconds=$1
shift
status=0
for f in "$@"; do
	name=${f##*fuzz_}
	work=$(mktemp -d)
	log=$(mktemp)
	echo "== $f for $seconds s, seeds from tests/fuzz/corpus/$name"
	if "$f" -max_total_time="$seconds" -print_final_stats=1 \
	    "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		echo "$f: $runs executions, $cov, no crash"
		rm -f "$log"
	else
		echo "$f: FAILED, log kept in $log" >&2
		grep -E '==ERROR|SUMMARY|runtime error|deadly signal' "$log" >&2
		status=1
	fi
	rm -rf "$work"
done
exit $status
