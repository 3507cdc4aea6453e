;; the memory's minimum (2 pages) exceeds its maximum (1 page)
(module
  (memory 2 1)
)
