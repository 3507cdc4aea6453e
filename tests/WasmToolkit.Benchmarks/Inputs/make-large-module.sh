#!/usr/bin/env bash
# Rebuilds large.wasm, the decode/validate benchmark input: a generated C program (gen-large-module.py,
# fixed seed) compiled by clang to wasm32-wasi at -O2 and linked against wasi-libc.
#
# Needs (Debian): clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32, and python3.
#   apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
#
# Compiling and linking are separate steps on purpose: the clang driver runs binaryen's wasm-opt after
# linking at -O1 and above when wasm-opt is on PATH, which would make the output depend on whether
# binaryen happens to be installed (and strips the name section). wasm-ld alone is deterministic.
# --strip-debug drops the DWARF sections that come from wasi-libc's archive; the name section stays.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
functions="${FUNCTIONS:-8500}"
seed="${SEED:-1}"
# INDIRECT=0: generated functions call each other directly only (see gen-large-module.py); unset keeps large.wasm.
indirect="${INDIRECT:-}"
parts=16
cc="${CC:-clang-14}"
out="${1:-$here/large.wasm}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/gen-large-module.py" "$functions" "$seed" "$work" "$parts" $indirect
ls "$work"/large_*.c | xargs -P "$(nproc)" -I{} sh -c "$cc --target=wasm32-wasi -O2 -fwrapv -w -c '{}' -o '{}.o'"
# Objects in a fixed order so the function order in the module does not depend on the shell's glob.
objects=()
for i in $(seq -f '%02g' 0 $((parts - 1))); do objects+=("$work/large_$i.c.o"); done
objects+=("$work/large_main.c.o")
"$cc" --target=wasm32-wasi -Wl,--strip-debug "${objects[@]}" -o "$out"

if command -v wasm-validate >/dev/null 2>&1; then wasm-validate "$out"; fi
echo "wrote $out ($(stat -c %s "$out") bytes)"
