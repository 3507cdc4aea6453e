;; f64.min and f64.max with wasm's NaN and signed-zero rules.
(module
  (func $min (export "min") (param f64 f64) (result f64)
    (f64.min (local.get 0) (local.get 1)))
  (func $max (export "max") (param f64 f64) (result f64)
    (f64.max (local.get 0) (local.get 1))))
