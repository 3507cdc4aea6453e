;; two memories without the multi-memory proposal
(module
  (memory 1)
  (memory 1)
)
