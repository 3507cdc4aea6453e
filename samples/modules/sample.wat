;; The module `wasmtk` inspects and validates when run without arguments.
;; A little of everything: an import, a memory with data, a table with an element segment,
;; globals, exports of all four kinds, and a few functions.
(module $sample
  (type $binop (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))

  (memory $mem (export "memory") 1 16)
  (data (i32.const 16) "Hello, WebAssembly!\00")

  (table $ops (export "ops") 2 funcref)
  (elem (table $ops) (i32.const 0) func $add $mul)

  (global $calls (export "calls") (mut i32) (i32.const 0))

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))

  ;; Calls ops[op](a, b) through the table, counting calls.
  (func $apply (export "apply") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $op)))

  ;; Iterative Fibonacci.
  (func $fib (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; Length of the zero-terminated string at $ptr; logs it through the import.
  (func $strlen (export "strlen") (param $ptr i32) (result i32)
    (local $len i32)
    (block $end
      (loop $scan
        (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $ptr) (local.get $len)))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $scan)))
    (call $log (local.get $len))
    (local.get $len))
)
