#!/usr/bin/env bash
# Publishes the wasmtk command line self-contained for linux-arm64 and runs `wasmtk wast ARGS...` under
# qemu-aarch64-static: the ARM64 backend's code, compiled and executed by an arm64 .NET process. Exit code is wasmtk's;
# 77 (with the reason printed) when qemu or the arm64 libc is missing.
#
# Needs (Debian): qemu-user-static; dpkg --add-architecture arm64 && apt-get update &&
# apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64; the runtime pack comes from NuGet.
# Usage: WASMTK_ARM64_OUT=dir eng/arm64/run-wast.sh [wast options] FILES...
#        (the publish goes to $WASMTK_ARM64_OUT, default $TMPDIR/wasmtk-arm64; a second run publishes incrementally)
# Environment: WASMTK_ARM64_TIMEOUT (seconds, default 1800) bounds the emulated run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${WASMTK_ARM64_OUT:-${TMPDIR:-/tmp}/wasmtk-arm64}

if ! command -v qemu-aarch64-static >/dev/null; then
  echo "SKIP: qemu-aarch64-static not found (apt-get install qemu-user-static)"; exit 77
fi
if [ ! -e /lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ]; then
  echo "SKIP: arm64 libc/libstdc++ missing (dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64)"; exit 77
fi

# Own artifacts path: the linux-arm64 restore and build never touch the repository's bin/ and obj/. The arm64 root
# file system has no libicu, and wasmtk needs no culture data.
dotnet publish "$repo/src/WasmToolkit.Cli/WasmToolkit.Cli.csproj" -c Release -r linux-arm64 --self-contained \
  -p:InvariantGlobalization=true -p:PublishReadyToRun=false \
  --artifacts-path "$out/artifacts" -o "$out/app" -nologo -v quiet >&2

# Required for the .NET runtime under qemu 7.2: no W^X double mapping, no concurrent GC; no PGO for speed.
export DOTNET_EnableWriteXorExecute=0 DOTNET_gcConcurrent=0 DOTNET_TieredPGO=0
exec timeout "${WASMTK_ARM64_TIMEOUT:-1800}" qemu-aarch64-static "$out/app/wasmtk" wast "$@"
