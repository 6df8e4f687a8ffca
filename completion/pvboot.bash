# SPDX-License-Identifier: MIT
# bash completion for pvboot and genprotimg (which is `pvboot create`).
# Self-contained: needs bash 4 and nothing from the bash-completion package.
# Install as <completionsdir>/pvboot with a link named genprotimg.

_pvboot_commands='create info verify measure test run disk attest secret hostkey'

# attest and secret: pvattest's and pvsecret's certificate options
_pvboot_certs='-k --host-key-document -C --cert --crt --crl --root-ca
	--offline --no-verify'
_pvboot_attest_create="$_pvboot_certs -o --output -a --arpk --add-data
	-v --verbose -q --quiet -h --help"
_pvboot_attest_verify='-i --input --hdr -a --arpk -o --output --format
	-u --user-data --print-schema -v --verbose -q --quiet -h --help'
_pvboot_secret_create="$_pvboot_certs --hdr -o --output --cuid --cuid-hex
	--extension-secret --cck --flags --user-data --use-name -f --force
	-v --verbose -q --quiet -h --help"
_pvboot_secret_kinds='meta association retrievable retr update-cck cck'
_pvboot_secret_kind_opts='--input-secret --output-secret --stdout --secret
	--type'

# The options of the image that create and measure share.
_pvboot_shape='-i --image --kernel -r --ramdisk -p --parmfile
	-k --host-key-document -C --cert --crt --crl --root-ca --offline
	--no-verify --hdr-key --x-header-key --image-key --x-comp-key
	--cck --comm-key --reproducible
	--enable-dump --disable-dump
	--enable-cck-extension-secret --disable-cck-extension-secret
	--enable-cck-update --disable-cck-update
	--enable-pckmo --disable-pckmo --enable-pckmo-hmac --disable-pckmo-hmac
	--enable-backup-keys --disable-backup-keys
	--enable-image-encryption --disable-image-encryption
	--layout --no-component-check --x-bootloader-directory --loader-dir
	--x-psw --x-pcf --x-scf -v --verbose -q --quiet -h --help'

# _pvboot_options COMMAND: every option COMMAND accepts
_pvboot_options()
{
	case $1 in
	create)
		echo "$_pvboot_shape -o --output --overwrite --version" \
			"--help-all --help-experimental" ;;
	measure)
		echo "$_pvboot_shape --format --print-schema" ;;
	info)
		echo '--format --hdr-key --key --host-key --show-secrets' \
			'--print-schema -q --quiet -h --help' ;;
	verify)
		echo '--hdr-key --key --host-key -i --image --kernel' \
			'-r --ramdisk -p --parmfile --loader-dir' \
			'--x-bootloader-directory --format --print-schema' \
			'-v --verbose -q --quiet -h --help' ;;
	test)
		echo '-k --host-key-document --key-hashes -q --quiet -h --help' ;;
	run)
		echo '-k --host-key -m --memory --smp --no-input --no-sandbox' \
			'-t --timeout' \
			'--trace --json' \
			'--format --print-schema --append --transcript' \
			'--save-response --disk --boot --bios -h --help' ;;
	disk)
		echo '-o --output --data --stage3 --size --overwrite --list' \
			'--json -q --quiet -h --help' ;;
	hostkey)
		echo '-o --out-dir -n --hosts --variants --days --seed' \
			'-q --quiet -h --help' ;;
	attest)
		echo "$_pvboot_attest_create $_pvboot_attest_verify" ;;
	secret)
		echo "$_pvboot_secret_create $_pvboot_secret_kind_opts" ;;
	esac
}

# _pvboot_sub COMMAND: attest and secret take a sub-command first (word 2)
# and, for secret create, a secret kind; complete those into COMPREPLY;
# returns 1 when the word is something else
_pvboot_sub()
{
	local k

	case $1:$COMP_CWORD in
	attest:2)
		COMPREPLY=($(compgen -W 'create verify --help' -- "$cur"))
		return 0 ;;
	secret:2)
		COMPREPLY=($(compgen -W 'create --help' -- "$cur"))
		return 0 ;;
	attest:*)
		[ "${COMP_WORDS[2]}" = verify ] &&
			k=$_pvboot_attest_verify || k=$_pvboot_attest_create
		COMPREPLY=($(compgen -W "$k" -- "$cur"))
		return 0 ;;
	secret:*)
		for k in "${COMP_WORDS[@]:3:COMP_CWORD - 3}"; do
			case " $_pvboot_secret_kinds " in
			*" $k "*)
				COMPREPLY=($(compgen -W "$_pvboot_secret_kind_opts" \
					-- "$cur"))
				return 0 ;;
			esac
		done
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_pvboot_secret_create" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_pvboot_secret_kinds" -- "$cur"))
		fi
		return 0 ;;
	esac
	return 1
}

# _pvboot_value COMMAND OPTION: complete the value of OPTION into COMPREPLY;
# returns 1 when OPTION takes no value
_pvboot_value()
{
	local cmd=$1 opt=$2 words

	case $opt in
	--format)
		case $cmd in
		info) words="text text:full json json:pretty json:minify" ;;
		measure) words="text hex json" ;;
		attest) words="text yaml json" ;;
		*) words="text json" ;;
		esac
		COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;
	--print-schema)
		COMPREPLY=($(compgen -W 'json text' -- "$cur")) ;;
	--layout)
		COMPREPLY=($(compgen -W 'r c' -- "$cur")) ;;
	--add-data)
		COMPREPLY=($(compgen -W 'phkh-img phkh-att secret-store-hash
			firmware-state' -- "$cur")) ;;
	--flags)
		COMPREPLY=($(compgen -W 'disable-dump' -- "$cur")) ;;
	--type)
		COMPREPLY=($(compgen -W 'plain aes aes-xts hmac-sha ec' \
			-- "$cur")) ;;
	--cuid-hex)
		COMPREPLY=() ;;
	-a | --arpk | --hdr | --input | -u | --user-data | --cuid | \
	--extension-secret | --input-secret | --output-secret | --secret | \
	--save-response | --disk | --bios | --data | --stage3 | --list)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	--x-bootloader-directory | --loader-dir | --out-dir)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur")) ;;
	-o)
		compopt -o filenames 2>/dev/null
		if [ "$cmd" = hostkey ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	--size)
		COMPREPLY=($(compgen -W '64M 256M 1G 4G' -- "$cur")) ;;
	-m | --memory)
		COMPREPLY=($(compgen -W '128M 256M 512M 1G 2G 4G' -- "$cur")) ;;
	-t | --timeout | --append | --x-psw | --x-pcf | --x-scf | -n | --hosts | \
	--days | --boot)
		COMPREPLY=() ;;
	-i | --image | --kernel | -r | --ramdisk | -p | --parmfile | --output | \
	-k | --host-key-document | -C | --cert | --crt | --crl | --root-ca | \
	--hdr-key | --key | --x-header-key | --image-key | --x-comp-key | \
	--cck | --comm-key | --reproducible | --host-key | --transcript | \
	--seed | --key-hashes)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	*)
		return 1 ;;
	esac
	return 0
}

_pvboot()
{
	local i=$COMP_CWORD cur prev cmd

	COMPREPLY=()
	if [ "${1##*/}" = genprotimg ]; then
		cmd=create
	elif [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$_pvboot_commands --help --version" \
			-- "${COMP_WORDS[1]}"))
		return 0
	else
		cmd=${COMP_WORDS[1]}
	fi
	# bash splits words at "=" and ":" (COMP_WORDBREAKS): join "json:mi"
	# back, and take "--opt = value" as the value of --opt
	while [ "$i" -gt 1 ] && { [[ ${COMP_WORDS[i]} == :* ]] ||
				  [ "${COMP_WORDS[i - 1]}" = : ]; }; do
		i=$((i - 1))
	done
	cur=$(IFS=; echo "${COMP_WORDS[*]:i:COMP_CWORD - i + 1}")
	prev=${COMP_WORDS[i - 1]}
	if [ "$cur" = = ]; then
		cur=
	elif [ "$prev" = = ]; then
		prev=${COMP_WORDS[i - 2]}
	fi
	if _pvboot_value "$cmd" "$prev"; then
		# bash replaces only the text after the last ":"
		[[ $cur == *:* ]] && COMPREPLY=("${COMPREPLY[@]#"${cur%:*}":}")
		return 0
	fi
	_pvboot_sub "$cmd" && return 0
	case $cmd:$cur in
	info:-* | verify:-* | test:-* | run:-* | disk:-*)
		COMPREPLY=($(compgen -W "$(_pvboot_options "$cmd")" -- "$cur")) ;;
	info:* | verify:* | test:* | run:* | disk:*)
		# the IMAGE
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -W "$(_pvboot_options "$cmd")" -- "$cur")) ;;
	esac
	return 0
}

complete -F _pvboot pvboot genprotimg
