;; "é" (U+00E9) cannot start a token: outside strings and comments the text format is ASCII
(module
  (func $café)
)
