#!/usr/bin/env bash
# Scale benchmark: time every stage of kinsight on generated datasets of 100k, 1M and 10M
# families, with wall time, rows/s and peak memory from /usr/bin/time -v.
#
# Datasets are generated once (seed 2024) and cached under $TARGET/scale-data/<size>/;
# the table is printed and written to $TARGET/scale-report.md ($TARGET is
# $CARGO_TARGET_DIR or ./target). Stages:
#   validate  kinsight validate --data DIR               (read + decode + checks)
#   outcomes  kinsight outcomes --data DIR --out OUT     (read + follow-up, survival, change)
#   sroi      kinsight sroi --data DIR --model M --out OUT(read + outcomes + 10,000 draws)
#   run       kinsight run --data DIR --model M --out OUT (all of it + charts + report)
# A stage whose command the binary does not have yet is reported as "not available".
#
# Usage: benches/scale.sh [--sizes 100k,1m,10m] [--threads 2|1,2] [--stages LIST]
#                         [--draws N] [--peer] [--no-build] [--bin PATH]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"

sizes="100k,1m,10m"
threads="$(nproc)"
stages="validate,outcomes,sroi,run"
draws=10000
peer=0
build=1
bin=""

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --stages) stages="$2"; shift 2 ;;
        --draws) draws="$2"; shift 2 ;;
        --peer) peer=1; shift ;;
        --no-build) build=0; shift ;;
        --bin) bin="$2"; build=0; shift 2 ;;
        -h|--help) usage ;;
        *) echo "scale.sh: unknown option $1" >&2; usage ;;
    esac
done

if [ ! -x /usr/bin/time ]; then
    echo "scale.sh: /usr/bin/time is missing; install it (apt-get install time)" >&2
    exit 2
fi

if [ -z "$bin" ]; then
    bin="$target/release/kinsight"
    if [ "$build" = 1 ]; then
        (cd "$repo" && nice -n 10 cargo build --release --locked --bin kinsight >&2)
    fi
fi
if [ ! -x "$bin" ]; then
    echo "scale.sh: no binary at $bin (build with cargo build --release)" >&2
    exit 2
fi

# "100k" -> 100000, "1m" -> 1000000, plain numbers as they are.
families_of() {
    local s="${1,,}"
    case "$s" in
        *k) echo $(( ${s%k} * 1000 )) ;;
        *m) echo $(( ${s%m} * 1000000 )) ;;
        *) echo "$s" ;;
    esac
}

# Whether the binary has a subcommand (clap exits 0 on `help CMD` only when it exists).
has_command() {
    "$bin" help "$1" >/dev/null 2>&1
}

data_root="$target/scale-data"
out_root="$target/scale-out"
mkdir -p "$data_root" "$out_root"

# A copy of the bundled model with the requested number of draws.
model="$out_root/model.toml"
sed -E "s/^draws = [0-9]+/draws = $draws/" "$repo/data/sample/model.toml" > "$model"

ensure_dataset() {
    local size="$1" n dir
    n="$(families_of "$size")"
    dir="$data_root/$size"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        echo "generating $n families into $dir ..." >&2
        /usr/bin/time -v -o "$out_root/generate-$size.time" \
            nice -n 10 "$bin" generate --families "$n" --seed 2024 --out "$dir" --quiet >&2
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# Total rows read over all tables, from `kinsight validate` (cached beside the data).
rows_of() {
    local dir="$1"
    if [ ! -f "$dir/.rows" ]; then
        "$bin" validate --data "$dir" | awk '/ read, / { s += $2 } END { print s + 0 }' > "$dir/.rows"
    fi
    cat "$dir/.rows"
}

# Field of a /usr/bin/time -v report.
time_field() {
    grep -F "$2" "$1" | sed 's/.*: //'
}

# "h:mm:ss" or "m:ss.ss" -> seconds.
to_seconds() {
    echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}

report="$target/scale-report.md"
{
    echo "# kinsight scale benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
    echo "- binary: $bin ($("$bin" --version))"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
    echo "- Monte Carlo draws: $draws; datasets: kinsight generate --seed 2024"
    echo
    echo "| families | rows | threads | stage | wall s | cpu s | rows/s | peak RSS MB | result |"
    echo "|---:|---:|---:|---|---:|---:|---:|---:|---|"
} > "$report"
cat "$report"

IFS=',' read -r -a size_list <<< "$sizes"
IFS=',' read -r -a thread_list <<< "$threads"
IFS=',' read -r -a stage_list <<< "$stages"

for size in "${size_list[@]}"; do
    dir="$(ensure_dataset "$size")"
    n="$(families_of "$size")"
    rows="$(rows_of "$dir")"
    for t in "${thread_list[@]}"; do
        for stage in "${stage_list[@]}"; do
            out="$out_root/$size-t$t-$stage"
            rm -rf "$out"
            case "$stage" in
                validate) cmd=(validate --data "$dir") ;;
                outcomes) cmd=(outcomes --data "$dir" --out "$out") ;;
                sroi) cmd=(sroi --data "$dir" --model "$model" --out "$out") ;;
                run) cmd=(run --data "$dir" --model "$model" --out "$out") ;;
                *) echo "scale.sh: unknown stage $stage" >&2; exit 2 ;;
            esac
            if ! has_command "$stage"; then
                line="| $n | $rows | $t | $stage | | | | | not available in this build |"
            else
                tf="$out_root/$size-t$t-$stage.time"
                set +e
                /usr/bin/time -v -o "$tf" "$bin" "${cmd[@]}" --threads "$t" --quiet \
                    > "$out_root/$size-t$t-$stage.log" 2>&1
                code=$?
                set -e
                wall="$(to_seconds "$(time_field "$tf" "Elapsed (wall clock)")")"
                cpu="$(awk -v u="$(time_field "$tf" "User time")" -v s="$(time_field "$tf" "System time")" 'BEGIN { printf "%.1f", u + s }')"
                rss="$(awk -v k="$(time_field "$tf" "Maximum resident set size")" 'BEGIN { printf "%.0f", k / 1024 }')"
                rps="$(awk -v r="$rows" -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", r / w }')"
                result="ok"
                [ "$code" = 0 ] || result="exit $code (see $out_root/$size-t$t-$stage.log)"
                line="| $n | $rows | $t | $stage | $wall | $cpu | $rps | $rss | $result |"
            fi
            echo "$line" | tee -a "$report"
        done
    done
    if [ "$peer" = 1 ]; then
        python="${PYTHON:-python3}"  # with duckdb installed: pip install -r benches/peer/requirements.txt
        "$python" "$here/peer/compare.py" --data "$dir" --bin "$bin" --threads "${thread_list[-1]}" --repeat 3 \
            --markdown | tee -a "$report"
    fi
done

echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$report"
echo "wrote $report" >&2
