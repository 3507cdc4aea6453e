;; the block is $outer but its end says $inner
(module
  (func
    block $outer
      nop
    end $inner
  )
)
