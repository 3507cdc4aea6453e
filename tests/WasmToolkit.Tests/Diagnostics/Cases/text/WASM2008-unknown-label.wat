;; br 1 inside a function with no block: only label 0 (the function) exists
(module
  (func
    br 1
  )
)
