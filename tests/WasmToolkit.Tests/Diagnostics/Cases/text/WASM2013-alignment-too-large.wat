;; an i32.load reads 4 bytes, so its alignment may be at most 4
(module
  (memory 1)
  (func (result i32)
    i32.const 0
    i32.load align=8
  )
)
