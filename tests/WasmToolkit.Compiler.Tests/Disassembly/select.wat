;; select picks one of two values by a condition, without a branch.
(module
  (func $pick (export "pick") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (local.get 2))))
