;; two exports named "f"
(module
  (func $a)
  (func $b)
  (export "f" (func $a))
  (export "f" (func $b))
)
