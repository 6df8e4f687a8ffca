# SPDX-License-Identifier: MIT
# The command line the side-by-side benchmarks share (bench/linux-boot.sh,
# mips.sh, disk.sh; sourced with ROOT set to the repository):
#   SCRIPT [--rows] [BUILD-DIR]
# bench_args sets ROWS_ONLY (1: print the table rows only, for run.sh),
# BUILD (absolute), PVBOOT, MEASURE and REPEAT (BENCH_REPEAT, default 3).
bench_args() {
	ROWS_ONLY=0
	if [ "${1:-}" = --rows ]; then
		ROWS_ONLY=1
		shift
	fi
	BUILD=${1:-build}
	case $BUILD in
	/*) ;;
	*) BUILD=$ROOT/$BUILD ;;
	esac
	PVBOOT=$BUILD/pvboot
	MEASURE=$BUILD/bench/measure
	REPEAT=${BENCH_REPEAT:-3}
}
