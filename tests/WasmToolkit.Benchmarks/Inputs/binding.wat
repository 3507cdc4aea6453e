;; The module GeneratedBindingBenchmarks binds with the source generator ([WasmModule("binding.wat")]) and calls from
;; Wasmtime too: the same exports through each calling path. add has a shape of the runtime's typed handles; mix has
;; five parameters, which the generated binding passes as raw slots (SlotFunction); xor takes and returns v128 values
;; (Vector128<byte> in the binding, two slots each).
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "mix") (param $a i32) (param $b i64) (param $c i32) (param $d i64) (param $e i32) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_s (local.get $a)) (local.get $b))
      (i64.add (i64.extend_i32_s (local.get $c)) (i64.add (local.get $d) (i64.extend_i32_s (local.get $e))))))
  (func (export "xor") (param $a v128) (param $b v128) (result v128)
    (v128.xor (local.get $a) (local.get $b))))
