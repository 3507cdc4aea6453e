;; A direct call: arguments through outgoing slots, the call site recorded for stack traces.
(module
  (func $square (param i32) (result i32)
    (i32.mul (local.get 0) (local.get 0)))
  (func $sum_of_squares (export "sum_of_squares") (param i32 i32) (result i32)
    (i32.add (call $square (local.get 0)) (call $square (local.get 1)))))
