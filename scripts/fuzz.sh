#!/bin/sh
# Builds the libFuzzer targets in tests/fuzz/ and runs each for SECONDS.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default 60 s; targets: form scrub tmpl survey)
# Each run starts from tests/fuzz/corpus/<target>/, copied into build/fuzz/ so
# what the fuzzer adds stays out of the repository.  An input that crashes,
# leaks or hangs is copied back into tests/fuzz/corpus/<target>/ with a crash-
# prefix, so every later run replays it, and the script exits non-zero.
# tests/fuzz/<target>.dict, when present, is the target's dictionary.  A
# target whose module does not exist yet is skipped with a message.
# FUZZ_CC and FUZZ_CFLAGS (added last) override the compiler and flags.
# CFLAGS, LIBS and $dict are word lists: splitting them is the point.
# shellcheck disable=SC2086
set -u

SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-form scrub tmpl survey}
cd "$(dirname "$0")/.." || exit 1

CC=${FUZZ_CC:-clang}
OUT=build/fuzz
PKGS="sqlite3 libsodium yaml-0.1 libutf8proc jansson"
CFLAGS="-std=c11 -D_GNU_SOURCE -Werror=implicit-function-declaration -g -O1"
CFLAGS="$CFLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icore -Icgi"
CFLAGS="$CFLAGS $(pkg-config --cflags $PKGS 2>/dev/null) ${FUZZ_CFLAGS:-}"
LIBS="$(pkg-config --libs $PKGS 2>/dev/null || echo -lsqlite3 -lsodium -lyaml -lutf8proc -ljansson)"
LIBS="$LIBS -lstemmer -lpthread -lm"

# The module each target exercises; the rest comes from the library below.
module() {
	case $1 in
	form)	echo cgi/form.c ;;
	scrub)	echo core/scrub.c ;;
	tmpl)	echo core/tmpl.c ;;
	survey)	echo core/survey.c ;;
	*)	echo "fuzz: unknown target $1" >&2; return 1 ;;
	esac
}

# Every core module plus the form parser, instrumented, in one archive: a
# target links only the members it needs, so a module that does not compile
# yet only matters to the targets that use it.
build_lib() {
	rm -rf "$OUT/obj" "$OUT/libfuzzcore.a"
	mkdir -p "$OUT/obj"
	for src in core/*.c cgi/form.c; do
		[ -f "$src" ] || continue
		obj="$OUT/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
		if ! $CC $CFLAGS -c "$src" -o "$obj" 2>"$obj.log"; then
			echo "fuzz: $src does not compile (see $obj.log); left out"
			rm -f "$obj"
		fi
	done
	ar rcs "$OUT/libfuzzcore.a" "$OUT"/obj/*.o
}

# Runs one target; returns 1 when it found something.
run_target() {
	t=$1
	corpus="$OUT/corpus/$t"
	art="$OUT/artifacts/$t"
	rm -rf "$art"
	mkdir -p "$corpus" "$art"
	cp tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	echo "fuzz: $t for ${SECS}s"
	"$OUT/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
	    $dict -artifact_prefix="$art/" "$corpus" >"$OUT/$t.log" 2>&1
	rc=$?
	found=0
	for f in "$art"/*; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		case $name in crash-*) ;; *) name="crash-$name" ;; esac
		cp "$f" "tests/fuzz/corpus/$t/$name"
		echo "fuzz: $t: FOUND tests/fuzz/corpus/$t/$name"
		found=1
	done
	if [ $rc -ne 0 ] || [ $found -ne 0 ]; then
		echo "fuzz: $t failed (exit $rc), log in $OUT/$t.log"
		grep -m1 -E 'ERROR|runtime error|SUMMARY' "$OUT/$t.log"
		return 1
	fi
	grep -E '^(Done|stat::number_of_executed_units)' "$OUT/$t.log" | tail -1
	return 0
}

mkdir -p "$OUT"
build_lib
status=0
for t in $TARGETS; do
	src=$(module "$t") || { status=1; continue; }
	if [ ! -f "$src" ]; then
		echo "fuzz: $t skipped: $src does not exist yet"
		continue
	fi
	if ! $CC $CFLAGS "tests/fuzz/fuzz_$t.c" "$OUT/libfuzzcore.a" $LIBS \
	    -o "$OUT/fuzz_$t" 2>"$OUT/fuzz_$t.build.log"; then
		echo "fuzz: $t does not build:"
		cat "$OUT/fuzz_$t.build.log"
		status=1
		continue
	fi
	run_target "$t" || status=1
done
exit $status
