;; Shifts SSE lacks: i8x16 through 16-bit shifts and a byte mask (or unpacking for shr_s), i64x2.shr_s through the
;; logical shift; by a constant and by a variable count (taken modulo the lane width).
(module
  (func $shl_const (export "shl_const") (param v128) (result v128)
    (i8x16.shl (local.get 0) (i32.const 3)))
  (func $shr_s (export "shr_s") (param v128 i32) (result v128)
    (i8x16.shr_s (local.get 0) (local.get 1)))
  (func $shr_s_64 (export "shr_s_64") (param v128 i32) (result v128)
    (i64x2.shr_s (local.get 0) (local.get 1))))
