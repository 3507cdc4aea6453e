;; an i32x4 vector has lanes 0 to 3
(module
  (func (result i32)
    v128.const i32x4 0 0 0 0
    i32x4.extract_lane 4
  )
)
