;; Log-power spectrogram kernel (see src/wasm/wasm-spectrogram.ts, which lays out
;; memory and the tables). Build: node ../../scripts/build-wasm.mjs (from the package).
;;
;; For each frame f (start f * hop) of a row-major (T, C) float32 signal: window the
;; nFft rows, pair channels 2p / 2p+1 as real / imaginary parts of one complex signal,
;; radix-2 FFT over all pairs at once (two pairs per SIMD vector), split the pairs
;; into the two real spectra, and write log10(|X|^2 + 1e-6) as float32 to
;; out[(f * C + c) * F + k], F = nFft / 2 + 1.
(module
  (memory (export "memory") 1)

  ;; Table pointers, set once by `setup`.
  (global $win (mut i32) (i32.const 0))     ;; nFft f64: Hann window / sqrt(sum w^2)
  (global $brv (mut i32) (i32.const 0))     ;; nFft i32: bit-reversed index
  (global $cos (mut i32) (i32.const 0))     ;; nFft/2 f64: cos(2 pi j / nFft)
  (global $sin (mut i32) (i32.const 0))     ;; nFft/2 f64: -sin(2 pi j / nFft)
  (global $lrec (mut i32) (i32.const 0))    ;; 1024 f64: 1 / (1 + j/1024)
  (global $llog (mut i32) (i32.const 0))    ;; 1024 f64: ln(1 + j/1024)
  (global $ipow (mut i32) (i32.const 0))    ;; 2047 f64: 2^-(b - 1023)
  (global $re (mut i32) (i32.const 0))      ;; nFft x pairs f64 scratch (real parts)
  (global $imoff (mut i32) (i32.const 0))   ;; byte distance from the real to the imaginary scratch

  (func (export "setup")
    (param $win i32) (param $brv i32) (param $cos i32) (param $sin i32)
    (param $lrec i32) (param $llog i32) (param $ipow i32) (param $re i32) (param $imoff i32)
    (global.set $win (local.get $win)) (global.set $brv (local.get $brv))
    (global.set $cos (local.get $cos)) (global.set $sin (local.get $sin))
    (global.set $lrec (local.get $lrec)) (global.set $llog (local.get $llog))
    (global.set $ipow (local.get $ipow)) (global.set $re (local.get $re))
    (global.set $imoff (local.get $imoff)))

  ;; log10(x) for positive normal x: exponent from the bits, mantissa by table + cubic.
  (func $log10 (param $x f64) (result f64)
    (local $bits i64) (local $biased i32) (local $j i32) (local $r f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $biased (i32.and (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 52))) (i32.const 0x7ff)))
    ;; NaN and Infinity stay as they are; 0 and subnormals cannot occur (x >= 1e-6).
    (if (i32.ge_u (local.get $biased) (i32.const 0x7ff)) (then (return (local.get $x))))
    (if (i32.eqz (local.get $biased)) (then (return (f64.const -inf))))
    (local.set $j (i32.and (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 42))) (i32.const 1023)))
    (local.set $r
      (f64.sub
        (f64.mul
          (f64.mul (local.get $x) (f64.load (i32.add (global.get $ipow) (i32.shl (local.get $biased) (i32.const 3)))))
          (f64.load (i32.add (global.get $lrec) (i32.shl (local.get $j) (i32.const 3)))))
        (f64.const 1)))
    (f64.mul
      (f64.add
        (f64.mul (f64.convert_i32_s (i32.sub (local.get $biased) (i32.const 1023))) (f64.const 0x1.62e42fefa39efp-1))
        (f64.add
          (f64.load (i32.add (global.get $llog) (i32.shl (local.get $j) (i32.const 3))))
          (f64.mul (local.get $r)
            (f64.sub (f64.const 1)
              (f64.mul (local.get $r)
                (f64.sub (f64.const 0.5)
                  (f64.mul (local.get $r)
                    (f64.sub (f64.const 0x1.5555555555555p-2) (f64.mul (local.get $r) (f64.const 0.25))))))))))
      (f64.const 0x1.bcb7b1526e50ep-2)))

  (func (export "spectrogram")
    (param $in i32) (param $channels i32) (param $frames i32) (param $nfft i32)
    (param $hop i32) (param $pairs i32) (param $out i32)
    (local $f i32) (local $n i32) (local $p i32) (local $k i32) (local $w f64)
    (local $row i32) (local $dst i32) (local $full i32) (local $rowbytes i32)
    (local $span i32) (local $step i32) (local $group i32) (local $j i32)
    (local $a i32) (local $b i32) (local $end i32) (local $imoff i32)
    (local $wr v128) (local $wi v128) (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128)
    (local $tr v128) (local $ti v128)
    (local $zk i32) (local $zn i32) (local $kr f64) (local $ki f64) (local $nr f64) (local $ni f64)
    (local $s f64) (local $d f64) (local $freqs i32) (local $o i32) (local $pairstride i32)
    (local.set $full (i32.shr_u (local.get $channels) (i32.const 1)))
    (local.set $rowbytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $pairstride (i32.shl (local.get $pairs) (i32.const 3)))
    (local.set $imoff (global.get $imoff))
    (local.set $freqs (i32.add (i32.shr_u (local.get $nfft) (i32.const 1)) (i32.const 1)))
    (local.set $f (i32.const 0))
    (block $frames_done (loop $frame
      (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
      ;; Load: row n of the frame, windowed, to scratch row bitrev[n].
      (local.set $n (i32.const 0))
      (block $load_done (loop $load
        (br_if $load_done (i32.ge_u (local.get $n) (local.get $nfft)))
        (local.set $w (f64.load (i32.add (global.get $win) (i32.shl (local.get $n) (i32.const 3)))))
        (local.set $row (i32.add (local.get $in)
          (i32.mul (i32.add (i32.mul (local.get $f) (local.get $hop)) (local.get $n)) (local.get $rowbytes))))
        (local.set $dst (i32.add (global.get $re)
          (i32.mul (i32.load (i32.add (global.get $brv) (i32.shl (local.get $n) (i32.const 2)))) (local.get $pairstride))))
        (local.set $p (i32.const 0))
        (block $pairs_done (loop $pair
          (br_if $pairs_done (i32.ge_u (local.get $p) (local.get $full)))
          (f64.store (local.get $dst) (f64.mul (f64.promote_f32 (f32.load (local.get $row))) (local.get $w)))
          (f64.store (i32.add (local.get $dst) (local.get $imoff))
            (f64.mul (f64.promote_f32 (f32.load offset=4 (local.get $row))) (local.get $w)))
          (local.set $row (i32.add (local.get $row) (i32.const 8)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pair)))
        (if (i32.and (local.get $channels) (i32.const 1))
          (then
            (f64.store (local.get $dst) (f64.mul (f64.promote_f32 (f32.load (local.get $row))) (local.get $w)))
            (f64.store (i32.add (local.get $dst) (local.get $imoff)) (f64.const 0))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $load)))
      ;; Radix-2 decimation in time, two pairs per vector.
      (local.set $span (i32.const 1))
      (block $stages_done (loop $stage
        (br_if $stages_done (i32.ge_u (local.get $span) (local.get $nfft)))
        (local.set $step (i32.div_u (local.get $nfft) (i32.shl (local.get $span) (i32.const 1))))
        (local.set $group (i32.const 0))
        (block $groups_done (loop $grp
          (br_if $groups_done (i32.ge_u (local.get $group) (local.get $nfft)))
          (local.set $j (i32.const 0))
          (block $j_done (loop $jl
            (br_if $j_done (i32.ge_u (local.get $j) (local.get $span)))
            (local.set $wr (f64x2.splat (f64.load (i32.add (global.get $cos) (i32.shl (i32.mul (local.get $j) (local.get $step)) (i32.const 3))))))
            (local.set $wi (f64x2.splat (f64.load (i32.add (global.get $sin) (i32.shl (i32.mul (local.get $j) (local.get $step)) (i32.const 3))))))
            (local.set $a (i32.add (global.get $re) (i32.mul (i32.add (local.get $group) (local.get $j)) (local.get $pairstride))))
            (local.set $b (i32.add (local.get $a) (i32.mul (local.get $span) (local.get $pairstride))))
            (local.set $end (i32.add (local.get $a) (local.get $pairstride)))
            (block $v_done (loop $v
              (br_if $v_done (i32.ge_u (local.get $a) (local.get $end)))
              (local.set $br (v128.load (local.get $b)))
              (local.set $bi (v128.load (i32.add (local.get $b) (local.get $imoff))))
              (local.set $ar (v128.load (local.get $a)))
              (local.set $ai (v128.load (i32.add (local.get $a) (local.get $imoff))))
              (local.set $tr (f64x2.sub (f64x2.mul (local.get $br) (local.get $wr)) (f64x2.mul (local.get $bi) (local.get $wi))))
              (local.set $ti (f64x2.add (f64x2.mul (local.get $br) (local.get $wi)) (f64x2.mul (local.get $bi) (local.get $wr))))
              (v128.store (local.get $a) (f64x2.add (local.get $ar) (local.get $tr)))
              (v128.store (i32.add (local.get $a) (local.get $imoff)) (f64x2.add (local.get $ai) (local.get $ti)))
              (v128.store (local.get $b) (f64x2.sub (local.get $ar) (local.get $tr)))
              (v128.store (i32.add (local.get $b) (local.get $imoff)) (f64x2.sub (local.get $ai) (local.get $ti)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $b (i32.add (local.get $b) (i32.const 16)))
              (br $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jl)))
          (local.set $group (i32.add (local.get $group) (i32.shl (local.get $span) (i32.const 1))))
          (br $grp)))
        (local.set $span (i32.shl (local.get $span) (i32.const 1)))
        (br $stage)))
      ;; Split pairs, power, log10, store float32.
      (local.set $k (i32.const 0))
      (block $k_done (loop $kl
        (br_if $k_done (i32.ge_u (local.get $k) (local.get $freqs)))
        (local.set $zk (i32.add (global.get $re) (i32.mul (local.get $k) (local.get $pairstride))))
        (local.set $zn (i32.add (global.get $re)
          (i32.mul (i32.rem_u (i32.sub (local.get $nfft) (local.get $k)) (local.get $nfft)) (local.get $pairstride))))
        (local.set $o (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (i32.mul (local.get $f) (local.get $channels)) (local.get $freqs)) (local.get $k)) (i32.const 2))))
        (local.set $p (i32.const 0))
        (block $sp_done (loop $sp
          (br_if $sp_done (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $channels)))
          (local.set $kr (f64.load (local.get $zk)))
          (local.set $ki (f64.load (i32.add (local.get $zk) (local.get $imoff))))
          (local.set $nr (f64.load (local.get $zn)))
          (local.set $ni (f64.load (i32.add (local.get $zn) (local.get $imoff))))
          (local.set $s (f64.add (local.get $kr) (local.get $nr)))
          (local.set $d (f64.sub (local.get $ki) (local.get $ni)))
          (f32.store (local.get $o) (f32.demote_f64 (call $log10 (f64.add
            (f64.mul (f64.const 0.25) (f64.add (f64.mul (local.get $s) (local.get $s)) (f64.mul (local.get $d) (local.get $d))))
            (f64.const 1e-6)))))
          (if (i32.lt_u (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.const 1)) (local.get $channels))
            (then
              (local.set $s (f64.add (local.get $ki) (local.get $ni)))
              (local.set $d (f64.sub (local.get $kr) (local.get $nr)))
              (f32.store (i32.add (local.get $o) (i32.shl (local.get $freqs) (i32.const 2)))
                (f32.demote_f64 (call $log10 (f64.add
                  (f64.mul (f64.const 0.25) (f64.add (f64.mul (local.get $s) (local.get $s)) (f64.mul (local.get $d) (local.get $d))))
                  (f64.const 1e-6)))))))
          (local.set $zk (i32.add (local.get $zk) (i32.const 8)))
          (local.set $zn (i32.add (local.get $zn) (i32.const 8)))
          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $freqs) (i32.const 3))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $sp)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $frame))))
)
