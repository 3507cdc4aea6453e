;; a block comment that is never closed with ";)"
(module
  (func $f)
)
(; a comment after the module
   that runs to the end of the file
