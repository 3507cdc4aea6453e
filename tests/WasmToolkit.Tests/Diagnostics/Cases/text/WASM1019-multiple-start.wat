;; two start fields
(module
  (func $f)
  (start $f)
  (start $f)
)
