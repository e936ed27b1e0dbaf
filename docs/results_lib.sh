# Shared by docs/make_results.sh, make_mode1.sh and make_scaling.sh (sourced from the repository root):
# what a results table says it was measured with, and the splice that replaces a table in a file.
# format: the model format; commit: HEAD (+changes when agent/, sim/ or app/ differ from it); machine:
# cores, CPU and its widest vector instructions, OS and compiler.
format=$(grep -o 'kModelFormatVersion = [0-9]*' agent/jepa/model_file.hpp | grep -o '[0-9]*$')
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- agent sim app || echo "+changes")
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
# The vector width the Release build's -march=native uses (two "AMD EPYC" machines have differed by it).
if grep -q -w avx512f /proc/cpuinfo; then isa=AVX-512; elif grep -q -w avx2 /proc/cpuinfo; then isa=AVX2; else isa="no AVX2"; fi
machine="$(nproc)-core ${cpu} (${isa}), $(. /etc/os-release && echo "$PRETTY_NAME"), $(g++ --version | head -1 | sed 's/ (.*)//')"

# splice FILE NAME BODY_FILE: replaces what stands between <!-- results:NAME --> and
# <!-- /results:NAME --> in FILE with BODY_FILE's lines; a FILE without that block is left alone.
splice() {
  local file=$1 name=$2 body=$3
  grep -q "<!-- results:$name -->" "$file" || return 0
  awk -v name="$name" -v body="$body" '
    $0 == "<!-- results:" name " -->" { print; while ((getline line < body) > 0) print line; skip = 1; next }
    $0 == "<!-- /results:" name " -->" { skip = 0 }
    !skip { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
}
