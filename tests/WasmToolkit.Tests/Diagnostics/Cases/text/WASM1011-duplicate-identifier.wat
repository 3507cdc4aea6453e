;; two functions named $f
(module
  (func $f)
  (func $f)
)
