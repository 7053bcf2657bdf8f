#!/bin/sh
# run.sh - run every tcpstep test and end with "N passed, N failed".
#
# The cmocka suites print TAP; the shell suites print the same "ok" /
# "not ok" lines. A suite that dies before reporting all its tests counts
# as a failure, so a crash can never pass silently.
cd "$(dirname "$0")/.." || exit 1
# Each suite's output, kept until the run ends (the failures are printed).
out=$(mktemp -d "${TMPDIR:-/tmp}/tcpstep-run.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
touch "$out/start"

run_suite() {
	name=$1
	shift
	"$@" >"$out/$name.tap" 2>&1
	rc=$?
	cat "$out/$name.tap"
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out/$name.tap")
	got=$(grep -c '^\(not \)\{0,1\}ok ' "$out/$name.tap")
	if [ -n "$plan" ] && [ "$got" -ne "$plan" ]; then
		echo "not ok - $name: $got of $plan tests reported (crash?)" |
		    tee -a "$out/$name.tap"
	elif [ -z "$plan" ] && [ "$rc" -ne 0 ]; then
		echo "not ok - $name: suite exited $rc" | tee -a "$out/$name.tap"
	fi
}

# The cmocka suites are named test_*: keys is a shell suite too.
for s in asock lab util robust keys wire decode wirelab; do
	CMOCKA_MESSAGE_OUTPUT=TAP run_suite "test_$s" "./tests/test_$s"
done
for s in build cli batch guide lessons pair tui keys screen wireview mouse roles netns class hostile claims wire capture kit formats; do
	run_suite "$s" sh "tests/$s.sh"
done

# Tests write only under temporary directories: anything new or changed in
# the source tree since the run began is a failure.
wrote=$(find . -path ./.git -prune -o -type f -newer "$out/start" -print |
    head -5)
if [ -n "$wrote" ]; then
	echo "not ok - run: the tests wrote into the source tree:" $wrote |
	    tee "$out/tree.tap"
else
	echo "ok - run: the tests wrote nothing into the source tree" |
	    tee "$out/tree.tap"
fi

passed=$(cat "$out"/*.tap | grep -c '^ok ')
failed=$(cat "$out"/*.tap | grep -c '^not ok ')
if [ "$failed" -ne 0 ]; then
	echo
	echo "failed:"
	cat "$out"/*.tap | grep '^not ok '
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
