;; the data string has no closing quote before the end of the line
(module
  (memory 1)
  (data (i32.const 0) "hello
  )
)
