;; an export name whose bytes ("\ff") are not UTF-8
(module
  (func $f)
  (export "\ff" (func $f))
)
