#!/bin/sh
# deps.sh - install the Debian packages tcpstep needs, or say which.
#
#   sh scripts/deps.sh build    what `make run` needs
#   sh scripts/deps.sh check    what `make check` needs as well
#   sh scripts/deps.sh fuzz     and what `make fuzz` needs (clang, libFuzzer)
#
# As root it runs apt-get; otherwise it prints the exact command to run.
set -u

build="make gcc pkg-config libevent-dev libncurses-dev libpcap-dev libjson-c-dev"
check="$build libcmocka-dev tmux mandoc strace valgrind iproute2 procps socat \
    netcat-openbsd python3 tcpdump util-linux libcap2-bin bash-completion zsh"

case ${1:-build} in
build)	want=$build ;;
check)	want=$check ;;
fuzz)	want="$check clang libclang-rt-14-dev" ;;
*)	echo "usage: sh scripts/deps.sh build|check|fuzz" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: check what the build itself uses and hope for the rest.
	if pkg-config --exists libevent ncursesw libpcap json-c 2>/dev/null; then
		exit 0
	fi
	echo "tcpstep: needs pkg-config, libevent 2.1, ncursesw, libpcap and json-c" \
	    "development files (and cmocka, tmux, mandoc, strace, valgrind, tcpdump, setcap for tests)" >&2
	exit 1
fi

missing=
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "tcpstep: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	    $missing >/dev/null || {
		echo "tcpstep: apt-get could not install:$missing" >&2
		exit 1
	}
	exit 0
fi
echo "tcpstep: missing packages:$missing" >&2
echo "tcpstep: install them with: sudo apt-get install$missing" >&2
exit 1
