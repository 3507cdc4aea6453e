;; The module GeneratedBindingBenchmarks binds with the source generator ([WasmModule("binding.wat")]) and calls from
;; Wasmtime too: the same export, add(i32, i32) -> i32, through each calling path.
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
