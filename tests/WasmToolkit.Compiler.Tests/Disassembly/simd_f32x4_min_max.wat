;; f32x4.min and f32x4.max with wasm's NaN and signed-zero rules (minps/maxps both ways), and pmin (minps, operands swapped).
(module
  (func $min (export "min") (param v128 v128) (result v128)
    (f32x4.min (local.get 0) (local.get 1)))
  (func $max (export "max") (param v128 v128) (result v128)
    (f32x4.max (local.get 0) (local.get 1)))
  (func $pmin (export "pmin") (param v128 v128) (result v128)
    (f32x4.pmin (local.get 0) (local.get 1))))
