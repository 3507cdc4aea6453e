;; align=3 is not a power of two
(module
  (memory 1)
  (func (result i32)
    i32.const 0
    i32.load align=3
  )
)
