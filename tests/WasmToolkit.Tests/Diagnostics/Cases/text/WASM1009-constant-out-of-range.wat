;; 4294967296 does not fit in 32 bits
(module
  (func (result i32)
    i32.const 4294967296
  )
)
