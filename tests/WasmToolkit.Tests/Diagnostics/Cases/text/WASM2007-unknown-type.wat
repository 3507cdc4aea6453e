;; call_indirect names type 7, the module has one type
(module
  (type (func))
  (table 1 funcref)
  (func
    i32.const 0
    call_indirect (type 7)
  )
)
