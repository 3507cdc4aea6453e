;; Saturating truncation: NaN gives 0, out-of-range values clamp, nothing traps.
(module
  (func $trunc (export "trunc") (param f64) (result i32)
    (i32.trunc_sat_f64_s (local.get 0))))
