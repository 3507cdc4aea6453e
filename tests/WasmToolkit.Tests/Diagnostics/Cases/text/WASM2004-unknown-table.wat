;; table.size of a module without tables
(module
  (func (result i32)
    table.size 0
  )
)
