;; Source of checksum.wasm, the binary module this sample binds through <WasmModule Include="wasm/checksum.wasm" />.
;; Rebuild it with: wat2wasm wasm/checksum.wat -o wasm/checksum.wasm (or: wasmtk convert wasm/checksum.wat wasm/checksum.wasm).
;; Adler-32 over memory[ptr, ptr+len).
(module
  (memory (export "memory") 1)
  (func (export "adler32") (param $ptr i32) (param $len i32) (result i32)
    (local $a i32) (local $b i32) (local $end i32)
    (local.set $a (i32.const 1))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $a (i32.rem_u (i32.add (local.get $a) (i32.load8_u (local.get $ptr))) (i32.const 65521)))
        (local.set $b (i32.rem_u (i32.add (local.get $b) (local.get $a)) (i32.const 65521)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $next)))
    (i32.or (i32.shl (local.get $b) (i32.const 16)) (local.get $a)))
)
