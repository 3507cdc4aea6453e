;; $missing names no function
(module
  (func $f
    call $missing
  )
)
