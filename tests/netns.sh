#!/bin/sh
# netns.sh - two hosts for real: network namespaces joined by a veth pair,
# tcpstep -s in one and tcpstep -c in the other, over IPv4 and IPv6; and a
# namespace whose name server is a test double, for name resolution.
# Needs root (ip netns); says so and skips otherwise.
. tests/lib.sh

PEER="python3 tests/peer.py"
TIME='[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9]'
NS_A=tcpstep-a-$$
NS_B=tcpstep-b-$$
NS_DNS=tcpstep-dns-$$
NS_ALL="$NS_A $NS_B $NS_DNS"

# The seed's walkthrough split over two hosts, then a close.
# exchange FAMILY_OPTION SERVER_ADDRESS CLIENT_ADDRESS_PATTERN
exchange() {
	two_hosts
	bstart srv ip netns exec $NS_A $TCPSTEP -s $1
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN" || return 1
	bstart cli ip netns exec $NS_B $TCPSTEP -c "$2"
	bkeys cli 34
	bwait cli "client " "OnConnect=1 " || return 1
	bwait srv "server " "OnAccept=1 " || return 1
	bkeys srv 5
	bwait srv "kernel       server-send " "ESTABLISHED .*peer=$3:" || return 1
	bkeys srv 6
	bwait cli "client " "OnReceive=1 " || return 1
	bkeys cli 7
	bwait cli "received " "13 bytes \"$TIME\\\\n\"" || return 1
	# The client answers; the server reads the line.
	bkeys cli 8
	bwait srv "server-send " "OnReceive=1 " || return 1
	bkeys srv 9
	bwait srv "server-read " "18 bytes \"ping $TIME\\\\n\"" || return 1
	# A graceful close, seen across the link.
	bkeys cli x
	bwait srv "server-send " "OnClose=1 .* errno=0$" || return 1
	bkeys srv X
	bwait srv "> X" "close([0-9]*) = 0" || return 1
	bend cli && bend srv
}

ipv4_two_hosts() { exchange -4 10.77.0.1 '10\.77\.0\.2'; }
ipv6_two_hosts() { exchange -6 fd77::1 '\[fd77::2\]'; }

# A server that never answers: its address leads to a MAC nobody has, so
# every SYN is lost. x cancels the connect; left alone, the kernel's
# timeout (one SYN retry in this namespace) ends it as ETIMEDOUT.
connect_never_answered() {
	two_hosts
	ip -n $NS_A neigh add 10.77.0.99 lladdr 02:00:00:00:00:99 dev tsa$$ \
	    nud permanent || fail "neigh"
	ip netns exec $NS_A sysctl -qw net.ipv4.tcp_syn_retries=1 ||
	    fail "sysctl"
	bstart cli ip netns exec $NS_A $TCPSTEP -c 10.77.0.99 -p 9
	bkeys cli 34
	bwait cli "kernel       client " "SYN_SENT" || return 1
	bkeys cli x
	bwait cli "> x" "cancelled" || return 1
	blast cli "explain " >/dev/null
	grep -q '^explain      CAsyncSocket::Close: Closing a socket whose connect has not finished cancels' \
	    "$BDIR/cli.out" || fail "$(tail -5 "$BDIR/cli.out")"
	# Again, and wait for the kernel to give up.
	bkeys cli 34
	POLL_LIMIT=300 bwait cli "client " "OnConnect=1 .*errno=ETIMEDOUT$" ||
	    return 1
	grep -q '^explain      Client OnConnect(ETIMEDOUT) (FD_CONNECT): nothing ever answered' \
	    "$BDIR/cli.out" || fail "$(tail -5 "$BDIR/cli.out")"
	bend cli
}

# A namespace with a name server of our own (peer.py dns MODE).
dns_host() {
	trap ns_cleanup EXIT
	ip netns add $NS_DNS && ip -n $NS_DNS link set lo up ||
	    fail "cannot make the namespace"
	mkdir -p /etc/netns/$NS_DNS
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' \
	    >/etc/netns/$NS_DNS/resolv.conf
	bgrun dns ip netns exec $NS_DNS $PEER dns "$1"
	poll grep -q listening "$BDIR/dns.out" || fail "$(cat "$BDIR/dns.out")"
}

names_resolve_or_explain() {
	dns_host nx
	o=$(ip netns exec $NS_DNS $TCPSTEP -c lab.test -p 9 --batch --keys 34) ||
	    fail "exit $?"
	say "$o" | grep -q '^resolver     lab.test -> 127\.0\.0\.1:9$' || fail "$o"
	say "$o" | grep -q '^> 4 Client Connect: in progress: connect([0-9]*, 127\.0\.0\.1:9)' ||
	    fail "$o"
	o=$(ip netns exec $NS_DNS $TCPSTEP -c nosuch.test -p 9 --batch --keys 34) ||
	    fail "exit $?"
	say "$o" | grep -q '^> 4 Client Connect: EAI_NONAME: getaddrinfo("nosuch.test") = EAI_NONAME: no such name' ||
	    fail "$o"
	say "$o" | grep -q '^resolver     nosuch.test: EAI_NONAME: ' || fail "$o"
}

# A name server that never answers: the screen keeps working meanwhile,
# and the timeout arrives as an explained result.
screen_responsive_while_resolving() {
	dns_host silent
	tui_start 80 24 "exec ip netns exec $NS_DNS env LANG=C.UTF-8 $TCPSTEP -c slow.test" ||
	    return 1
	wait_for "server slow.test: resolving" || return 1
	tm send-keys -t t 3
	wait_for "3 Client Create: still resolving slow.test" || return 1
	tm send-keys -t t '?'
	wait_for "help, page 1" || return 1
	tm send-keys -t t Escape
	wait_for "server slow.test: resolving" || return 1
	# The error goes on a line of its own when the title bar cannot hold it.
	POLL_LIMIT=200 wait_for "slow.test: EAI_" || return 1
	# Nothing from the resolver went to the terminal directly.
	on_screen "Nameserver" && fail "resolver message on the screen"
	tm send-keys -t t 3 4
	wait_for "4 Client Connect: getaddrinfo(\"slow.test\") = EAI_" || return 1
}

netns_or_skip netns "IPv4" "IPv6" "never answered" "names" "resolving"
t "netns: IPv4, tcpstep -s and -c on two hosts, 1-9 and a close" ipv4_two_hosts
t "netns: IPv6, the same across fd77::/64" ipv6_two_hosts
t "netns: a server that never answers: x cancels, or ETIMEDOUT" connect_never_answered
t "netns: names resolve through a name server, or explain why not" names_resolve_or_explain
t "netns: the screen stays responsive while a name resolves" screen_responsive_while_resolving
