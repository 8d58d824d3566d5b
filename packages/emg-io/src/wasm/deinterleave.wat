;; De-interleaves emg2qwerty timeseries rows into separate time and EMG arrays.
;; Source of src/wasm/deinterleave-module.ts; build it with the repository's scripts/build-wasm.mjs.
;;
;; Row r of the source (rowBytes bytes at src + r * rowBytes) holds a float64
;; time at timeOffset and two blocks of 16 float32 at leftOffset and rightOffset.
;; Output: time (rows) float64 at timeOut; EMG (rows, 2, 16) float32 at emgOut.
;; Values move as raw bits (integer and SIMD moves), so NaN payloads survive too.
(module
  (memory (export "memory") 1)
  ;; 64 bytes from $from to $to, as four 128-bit moves.
  (func $copy64 (param $from i32) (param $to i32)
    (v128.store offset=0 (local.get $to) (v128.load offset=0 (local.get $from)))
    (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
    (v128.store offset=32 (local.get $to) (v128.load offset=32 (local.get $from)))
    (v128.store offset=48 (local.get $to) (v128.load offset=48 (local.get $from))))
  (func (export "deinterleave")
    (param $src i32) (param $rows i32) (param $rowBytes i32)
    (param $timeOffset i32) (param $leftOffset i32) (param $rightOffset i32)
    (param $timeOut i32) (param $emgOut i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (i64.store (local.get $timeOut) (i64.load (i32.add (local.get $src) (local.get $timeOffset))))
        (call $copy64 (i32.add (local.get $src) (local.get $leftOffset)) (local.get $emgOut))
        (call $copy64 (i32.add (local.get $src) (local.get $rightOffset)) (i32.add (local.get $emgOut) (i32.const 64)))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $timeOut (i32.add (local.get $timeOut) (i32.const 8)))
        (local.set $emgOut (i32.add (local.get $emgOut) (i32.const 128)))
        (br $row)))))
