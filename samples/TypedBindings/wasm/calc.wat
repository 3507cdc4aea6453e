;; Compiled into typed C# bindings at build time (CalcModule.cs: [WasmModule("calc.wat")]).
;; An import ("env" "log"), a mutable global, and a few functions: every export becomes a C# member.
(module
  (import "env" "log" (func $log (param $value i64)))
  (global $calls (export "calls") (mut i32) (i32.const 0))

  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (local.get $a) (local.get $b)))

  ;; Iterative Fibonacci; logs the result through the host.
  (func (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (call $log (local.get $a))
    (local.get $a))

  (func (export "hypot") (param $x f64) (param $y f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.mul (local.get $y) (local.get $y)))))
)
