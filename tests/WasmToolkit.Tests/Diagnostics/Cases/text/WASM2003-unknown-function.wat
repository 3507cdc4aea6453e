;; the module has one function, so function 5 does not exist
(module
  (func
    call 5
  )
)
