;; a tab character inside a string must be written as "\t"
(module
  (memory 1)
  (data (i32.const 0) "a	b")
)
