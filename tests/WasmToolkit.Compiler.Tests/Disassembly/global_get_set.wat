;; A mutable global counter read and written through the context register.
(module
  (global $count (mut i64) (i64.const 0))
  (func $bump (export "bump") (param i64) (result i64)
    (global.set $count (i64.add (global.get $count) (local.get 0)))
    global.get $count))
