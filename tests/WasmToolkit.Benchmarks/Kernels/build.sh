#!/usr/bin/env bash
# Rebuilds the benchmark kernels (*.c -> *.wasm) next to this script. The .wasm files are checked in, so tests and
# benchmarks do not need clang; run this only after editing a kernel.
#
# Needs (Debian): apt-get install -y clang-14 lld-14   (CC / WASM_LD override the tool names)
# A kernel whose name ends in "simd" is built with -msimd128 as well (128-bit SIMD, wasm_simd128.h).
#
# Freestanding wasm32: no libc, no imports, no entry point; each kernel exports `run` (and the linker exports
# `memory`). -mcpu=mvp plus only mutable-globals and sign-ext keeps the output to what the x64 compiler
# supports today: no bulk memory (memory.copy/fill), no non-trapping float-to-int, no multivalue, no reference
# types. -fno-builtin stops clang turning zeroing/copy loops into memset/memcpy calls (which would be undefined
# without libc). Compiling and linking are separate steps so the clang driver never runs a wasm-opt found on PATH
# (which would make the output depend on the machine). The result is byte-for-byte reproducible with the same
# Debian packages.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cc="${CC:-clang-14}"
ld="${WASM_LD:-wasm-ld-14}"
cflags=(--target=wasm32 -O2 -mcpu=mvp -mmutable-globals -msign-ext -ffreestanding -fno-builtin -nostdlib -Wall -Werror)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for src in "$here"/*.c; do
    name="$(basename "$src" .c)"
    extra=()
    if [[ "$name" == *simd ]]; then extra=(-msimd128); fi
    "$cc" "${cflags[@]}" "${extra[@]}" -c "$src" -o "$work/$name.o"
    "$ld" --no-entry --export=run --strip-debug -z stack-size=65536 "$work/$name.o" -o "$here/$name.wasm"
    echo "built $name.wasm ($(stat -c %s "$here/$name.wasm") bytes)"
done
