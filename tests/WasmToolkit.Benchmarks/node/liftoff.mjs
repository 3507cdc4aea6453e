// V8 Liftoff beside the .NET benchmarks: compile throughput of the same large module and run time of the same kernels.
//
// Run from the repository root (Node 20 or later):
//
//   node --liftoff-only --no-wasm-lazy-compilation tests/WasmToolkit.Benchmarks/node/liftoff.mjs
//
// --liftoff-only keeps every function in V8's baseline tier (no tier-up to TurboFan), the tier WasmToolkit's baseline
// compiler is modelled on; --no-wasm-lazy-compilation makes `new WebAssembly.Module` compile every function up front,
// as WasmToolkit and Wasmtime do. The script refuses to run without the two flags (the numbers would mean something
// else). Script options: --iterations N (timed runs per row, default 10), --warmup N (default 3). V8 compiles on
// background threads by default (all cores); add --single-threaded to node's flags to compile on one thread, the
// like-for-like comparison with WasmToolkit's sequential compiler.
//
// Compile inputs are the modules the C# CompileBenchmarks take (Inputs/large-direct.wasm, Inputs/large.wasm) with
// their WASI imports left in: V8 compiles imports lazily at instantiation, not in `new WebAssembly.Module`, so the
// bytes compiled are the same function bodies (7 imported functions versus 7 stub bodies of 2 bytes in the .NET
// rewrite). Kernels and inputs are the ones of Kernels/KernelCatalog.cs; the expected checksums are checked.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

// Mirrors KernelCatalog.All (name, benchmark input, expected checksum).
const kernels = [
  ["sieve", 1_000_000, 155103587],
  ["mandelbrot", 300, -1077693018],
  ["nbody", 100_000, 1316670727],
  ["matmul", 200, 1692795405],
  ["quicksort", 500_000, 1137721814],
  ["fib", 32, -809843530],
  ["indirect", 5_000_000, 1702204345],
  ["simd", 20_000, 1631756992],
];
const compileInputs = ["large-direct.wasm", "large.wasm"];

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const iterations = option("--iterations", 10);
const warmup = option("--warmup", 3);

const flags = process.execArgv.join(" ");
if (!flags.includes("--liftoff-only") || !flags.includes("--no-wasm-lazy-compilation")) {
  console.error("Run with: node --liftoff-only --no-wasm-lazy-compilation " + process.argv[1]);
  process.exit(2);
}

// Code section size (id 10): the throughput denominator, as in the C# benchmarks.
function codeSectionSize(bytes) {
  let p = 8;
  const leb = () => { let v = 0, s = 0, b; do { b = bytes[p++]; v |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return v >>> 0; };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  throw new Error("no code section");
}

// Appends a custom section (id 0) named `name`: no effect on compilation, but new wire bytes.
function withCustomSection(bytes, name) {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 127) throw new Error("name too long");
  const content = [nameBytes.length, ...nameBytes];
  if (content.length > 127) throw new Error("section too long");
  const out = new Uint8Array(bytes.length + 2 + content.length);
  out.set(bytes, 0);
  out.set([0, content.length, ...content], bytes.length);
  return out;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, samples.length - 1));
  return { mean, sd, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
}

const ms = (t) => t.toFixed(t < 10 ? 2 : 1);
const rows = [];

console.log(`node ${process.version}, V8 ${process.versions.v8}, flags: ${flags}; ${warmup} warm-up + ${iterations} timed runs per row`);

for (const name of compileInputs) {
  const bytes = readFileSync(join(root, "Inputs", name));
  const code = codeSectionSize(bytes);
  const samples = [];
  for (let i = 0; i < warmup + iterations; i++) {
    // V8 keeps compiled modules in a cache keyed by the wire bytes (--wasm-native-module-cache-enabled), so compiling
    // the same bytes twice would time a lookup; a custom section with the iteration number makes every copy new.
    const unique = withCustomSection(bytes, `wasmtk-bench-${process.pid}-${i}`);
    const start = process.hrtime.bigint();
    const module = new WebAssembly.Module(unique);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (WebAssembly.Module.exports(module).length === 0) throw new Error("no exports");
    if (i >= warmup) samples.push(elapsed);
  }
  const s = stats(samples);
  rows.push({ row: `compile ${name}`, mean: `${ms(s.mean)} ms`, sd: ms(s.sd), median: `${ms(s.median)} ms`,
              throughput: `${(code / (s.mean / 1e3) / 1e6).toFixed(1)} code MB/s`, note: `code section ${code} bytes` });
}

for (const [name, n, expected] of kernels) {
  const bytes = readFileSync(join(root, "Kernels", `${name}.wasm`));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const run = instance.exports.run;
  const samples = [];
  let result = 0;
  for (let i = 0; i < warmup + iterations; i++) {
    const start = process.hrtime.bigint();
    result = run(n);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= warmup) samples.push(elapsed);
  }
  if (result !== expected) throw new Error(`${name}(${n}) returned ${result}, expected ${expected}`);
  const s = stats(samples);
  rows.push({ row: `run ${name}(${n})`, mean: `${ms(s.mean)} ms`, sd: ms(s.sd), median: `${ms(s.median)} ms`, throughput: "", note: `checksum ${result} ok` });
}

const columns = ["row", "mean", "sd", "median", "throughput", "note"];
const width = Object.fromEntries(columns.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
const line = (r) => "| " + columns.map((c) => String(r[c]).padEnd(width[c])).join(" | ") + " |";
console.log(line(Object.fromEntries(columns.map((c) => [c, c]))));
console.log("|" + columns.map((c) => "-".repeat(width[c] + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));
