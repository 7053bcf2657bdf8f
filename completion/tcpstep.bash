# tcpstep.bash - bash completion for tcpstep(1).
#
# Installed as share/bash-completion/completions/tcpstep, where
# bash-completion loads it the first time "tcpstep" is completed.
# The lists are written out, not asked of tcpstep --help at run time:
# completion must not run the program, and tests/kit.sh checks that every
# long option --help prints is here, so the two cannot drift apart.

_tcpstep()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		# Without bash-completion: the words as bash split them.
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi

	case $prev in
	--model)
		COMPREPLY=($(compgen -W 'winsock edge' -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W 'text brief json' -- "$cur"))
		return ;;
	--guide)
		COMPREPLY=($(compgen -W '1 2 3 4 5 6 7 8' -- "$cur"))
		return ;;
	--lesson|--check-lesson)
		_tcpstep_files '*.lesson'
		return ;;
	--log|--pcap)
		_tcpstep_files ''
		return ;;
	-c|--client)
		if declare -F _known_hosts_real >/dev/null 2>&1; then
			_known_hosts_real -- "$cur"
		else
			COMPREPLY=($(compgen -A hostname -- "$cur"))
		fi
		return ;;
	-B|--bind|-p|--port|--max-conns|--recv-size|--keys|--settle)
		# A number, an address or keys: nothing to offer.
		return ;;
	esac

	# --check-lesson takes any number of lesson files.
	local i
	for ((i = COMP_CWORD - 1; i > 0; i--)); do
		case ${COMP_WORDS[i]} in
		--check-lesson)
			if [[ $cur != -* ]]; then
				_tcpstep_files '*.lesson'
				return
			fi
			break ;;
		-*)	break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--server --client --bind --ipv4 --ipv6
		    --max-conns --guide --model --port --recv-size --batch
		    --keys --settle --format --ascii --no-mouse --log --no-wire
		    --pcap
		    --lesson --check-lesson --help --version
		    -s -c -B -4 -6 -p -h -V' -- "$cur"))
	fi
}

# Files matching the glob $1 ('' for any) and directories to descend into.
_tcpstep_files()
{
	local IFS=$'\n'
	if declare -F _filedir >/dev/null 2>&1; then
		if [[ -n $1 ]]; then
			_filedir "${1#\*.}"
		else
			_filedir
		fi
		return
	fi
	compopt -o filenames 2>/dev/null
	if [[ -n $1 ]]; then
		COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!$1" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

complete -F _tcpstep tcpstep
