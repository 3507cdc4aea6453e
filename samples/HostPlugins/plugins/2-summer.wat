;; Sums 1..input, reporting each partial sum to the host; the host's "limit" global caps the input.
(module
  (import "host" "report" (func $report (param $step i32) (param $total i64)))
  (import "host" "limit" (global $limit i32))
  (func (export "run") (param $input i32) (result i32)
    (local $i i32) (local $total i64)
    (if (i32.gt_s (local.get $input) (global.get $limit))
      (then (local.set $input (global.get $limit))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $input)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $total (i64.add (local.get $total) (i64.extend_i32_s (local.get $i))))
        (call $report (local.get $i) (local.get $total))
        (br $next)))
    (i32.wrap_i64 (local.get $total))))
