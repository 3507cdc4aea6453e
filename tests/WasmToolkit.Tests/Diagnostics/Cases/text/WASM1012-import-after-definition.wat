;; imports must come before the first function, table, memory or global definition
(module
  (func $f)
  (import "env" "g" (func $g))
)
