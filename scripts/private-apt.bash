# SPDX-License-Identifier: MIT
# The private apt instance of scripts/fetch-guests.sh and
# scripts/fetch-ibm-tools.sh (sourced): s390x packages from Debian's
# registry with apt's signed indexes, in a state and cache directory of
# their own, without touching the machine's apt configuration.
# private_apt_opts DIR: set APT_OPTS for the instance in DIR (state/,
# cache/, etc/sources.list, etc/parts, etc/preferences).
private_apt_opts() {
	local d=$1

	APT_OPTS=(
		-o "Dir::State=$d/state"
		-o "Dir::State::status=$d/state/status"
		-o "Dir::Cache=$d/cache"
		-o "Dir::Etc::SourceList=$d/etc/sources.list"
		-o "Dir::Etc::SourceParts=$d/etc/parts"
		-o "Dir::Etc::Preferences=$d/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$d/etc/parts"
		-o APT::Architecture=s390x
		-o APT::Architectures=s390x
		-o APT::Get::AllowUnauthenticated=false
		-o Acquire::AllowInsecureRepositories=false
		-o Acquire::Retries=1
		-o Acquire::http::Timeout=30
		-o Acquire::Languages=none
	)
	# apt drops privileges to _apt for downloads; that user cannot write
	# into a root-owned private cache, so the private instance keeps root.
	if [ "$(id -u)" -eq 0 ]; then
		APT_OPTS+=(-o APT::Sandbox::User=root)
	fi
}
