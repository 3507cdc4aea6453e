;; 65537 pages is more than 4 GiB
(module
  (memory 65537)
)
