;; Signed division: traps on a zero divisor and on INT32_MIN / -1.
(module
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
