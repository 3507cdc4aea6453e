;; 256 does not fit in the lane index byte
(module
  (func (result i32)
    v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
    i8x16.extract_lane_s 256
  )
)
