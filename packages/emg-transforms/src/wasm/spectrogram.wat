;; Log-power spectrogram kernel (see src/wasm/wasm-spectrogram.ts, which lays out
;; memory and the tables). Build: node ../../scripts/build-wasm.mjs (from the package).
;;
;; For each frame f (start f * hop) of a row-major (T, C) float32 signal: window the
;; nFft rows, pair channels 2p / 2p+1 as real / imaginary parts of one complex signal,
;; radix-2 FFT over all pairs at once in float32 (four pairs per SIMD vector; torchaudio
;; computes in float32 too), split the pairs into the two real spectra in float64, and
;; write log10(|X|^2 + 1e-6) as float32 to out[(f * C + c) * F + k], F = nFft / 2 + 1.
;; Returns 1 when an input sample was NaN or infinite (the caller then redoes the work
;; without pairing, since such a value spills into its partner channel), else 0.
(module
  (memory (export "memory") 1)

  ;; Table pointers, set once by `setup`.
  (global $win (mut i32) (i32.const 0))     ;; nFft f32: Hann window / sqrt(sum w^2)
  (global $brv (mut i32) (i32.const 0))     ;; nFft i32: bit-reversed index
  (global $cos (mut i32) (i32.const 0))     ;; nFft/2 f32: cos(2 pi j / nFft)
  (global $sin (mut i32) (i32.const 0))     ;; nFft/2 f32: -sin(2 pi j / nFft)
  (global $re (mut i32) (i32.const 0))      ;; nFft x pairs f32 scratch (real parts)
  (global $imoff (mut i32) (i32.const 0))   ;; byte distance from the real to the imaginary scratch

  (func (export "setup")
    (param $win i32) (param $brv i32) (param $cos i32) (param $sin i32)
    (param $re i32) (param $imoff i32)
    (global.set $win (local.get $win)) (global.set $brv (local.get $brv))
    (global.set $cos (local.get $cos)) (global.set $sin (local.get $sin))
    (global.set $re (local.get $re))
    (global.set $imoff (local.get $imoff)))

  ;; log10 of four positive float32 values, in float32 like torch.log10 on float32:
  ;; x = m * 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s), s = (m - 1) / (m + 1),
  ;; |s| < 0.172, series to s^9 (error below 1e-8). NaN and Infinity pass through.
  (func $log10x4 (param $x v128) (result v128)
    (local $e v128) (local $m v128) (local $big v128) (local $s v128) (local $s2 v128) (local $series v128)
    (local.set $e (i32x4.sub (i32x4.shr_u (local.get $x) (i32.const 23)) (i32x4.splat (i32.const 127))))
    (local.set $m (v128.or (v128.and (local.get $x) (i32x4.splat (i32.const 0x007fffff))) (i32x4.splat (i32.const 0x3f800000))))
    (local.set $big (f32x4.gt (local.get $m) (f32x4.splat (f32.const 1.41421356))))
    (local.set $m (v128.bitselect (f32x4.mul (local.get $m) (f32x4.splat (f32.const 0.5))) (local.get $m) (local.get $big)))
    (local.set $e (i32x4.sub (local.get $e) (local.get $big)))
    (local.set $s (f32x4.div (f32x4.sub (local.get $m) (f32x4.splat (f32.const 1))) (f32x4.add (local.get $m) (f32x4.splat (f32.const 1)))))
    (local.set $s2 (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $series
      (f32x4.add (f32x4.splat (f32.const 1))
        (f32x4.mul (local.get $s2)
          (f32x4.add (f32x4.splat (f32.const 0x1.555556p-2))
            (f32x4.mul (local.get $s2)
              (f32x4.add (f32x4.splat (f32.const 0.2))
                (f32x4.mul (local.get $s2)
                  (f32x4.add (f32x4.splat (f32.const 0x1.249249p-3))
                    (f32x4.mul (local.get $s2) (f32x4.splat (f32.const 0x1.c71c72p-4)))))))))))
    (v128.bitselect
      (local.get $x)
      (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (local.get $e)) (f32x4.splat (f32.const 0.30103)))
        (f32x4.mul (f32x4.mul (local.get $s) (local.get $series)) (f32x4.splat (f32.const 0.868588963806503655))))
      (i32x4.eq (v128.and (local.get $x) (i32x4.splat (i32.const 0x7f800000))) (i32x4.splat (i32.const 0x7f800000)))))

  ;; Stores lane q of $even at $o + 2q * $stride and lane q of $odd at $o + (2q + 1) * $stride,
  ;; for the first $left channels (up to 8).
  (func $store_lanes (param $even v128) (param $odd v128) (param $o i32) (param $left i32) (param $stride i32)
    (if (i32.le_s (local.get $left) (i32.const 0)) (then (return)))
    (f32.store (local.get $o) (f32x4.extract_lane 0 (local.get $even)))
    (if (i32.le_s (local.get $left) (i32.const 1)) (then (return)))
    (f32.store (i32.add (local.get $o) (local.get $stride)) (f32x4.extract_lane 0 (local.get $odd)))
    (if (i32.le_s (local.get $left) (i32.const 2)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 2))) (f32x4.extract_lane 1 (local.get $even)))
    (if (i32.le_s (local.get $left) (i32.const 3)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 3))) (f32x4.extract_lane 1 (local.get $odd)))
    (if (i32.le_s (local.get $left) (i32.const 4)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 4))) (f32x4.extract_lane 2 (local.get $even)))
    (if (i32.le_s (local.get $left) (i32.const 5)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 5))) (f32x4.extract_lane 2 (local.get $odd)))
    (if (i32.le_s (local.get $left) (i32.const 6)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 6))) (f32x4.extract_lane 3 (local.get $even)))
    (if (i32.le_s (local.get $left) (i32.const 7)) (then (return)))
    (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 7))) (f32x4.extract_lane 3 (local.get $odd))))

  (func (export "spectrogram")
    (param $in i32) (param $channels i32) (param $frames i32) (param $nfft i32)
    (param $hop i32) (param $pairs i32) (param $out i32) (result i32)
    (local $f i32) (local $n i32) (local $p i32) (local $k i32)
    (local $row i32) (local $dst i32) (local $full i32) (local $rowbytes i32) (local $rowend i32)
    (local $span i32) (local $step i32) (local $group i32) (local $j i32)
    (local $a i32) (local $b i32) (local $end i32) (local $imoff i32) (local $pairstride i32)
    (local $w f32) (local $wv v128) (local $x0 v128) (local $x1 v128) (local $bad v128)
    (local $wr v128) (local $wi v128) (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128)
    (local $tr v128) (local $ti v128)
    (local $zk i32) (local $zn i32) (local $kr v128) (local $ki v128) (local $nr v128) (local $ni v128)
    (local $pa v128) (local $pb v128) (local $c i32) (local $freqs i32) (local $o i32)
    (local.set $full (i32.shr_u (local.get $channels) (i32.const 1)))
    (local.set $rowbytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $pairstride (i32.shl (local.get $pairs) (i32.const 2)))
    (local.set $imoff (global.get $imoff))
    (local.set $freqs (i32.add (i32.shr_u (local.get $nfft) (i32.const 1)) (i32.const 1)))
    (local.set $bad (f32x4.splat (f32.const 0)))
    (local.set $f (i32.const 0))
    (block $frames_done (loop $frame
      (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
      ;; Load: row n of the frame, windowed, to scratch row bitrev[n]; (x - x) summed into
      ;; $bad turns NaN when a sample is NaN or infinite.
      (local.set $n (i32.const 0))
      (block $load_done (loop $load
        (br_if $load_done (i32.ge_u (local.get $n) (local.get $nfft)))
        (local.set $w (f32.load (i32.add (global.get $win) (i32.shl (local.get $n) (i32.const 2)))))
        (local.set $wv (f32x4.splat (local.get $w)))
        (local.set $row (i32.add (local.get $in)
          (i32.mul (i32.add (i32.mul (local.get $f) (local.get $hop)) (local.get $n)) (local.get $rowbytes))))
        (local.set $dst (i32.add (global.get $re)
          (i32.mul (i32.load (i32.add (global.get $brv) (i32.shl (local.get $n) (i32.const 2)))) (local.get $pairstride))))
        ;; Four pairs (eight channels) at a time: de-interleave re/im lanes with shuffles.
        (local.set $rowend (i32.add (local.get $row) (i32.and (local.get $rowbytes) (i32.const -32))))
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.ge_u (local.get $row) (local.get $rowend)))
          (local.set $x0 (v128.load (local.get $row)))
          (local.set $x1 (v128.load offset=16 (local.get $row)))
          (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $x0) (local.get $x0))))
          (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $x1) (local.get $x1))))
          (v128.store (local.get $dst) (f32x4.mul (local.get $wv)
            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $x0) (local.get $x1))))
          (v128.store (i32.add (local.get $dst) (local.get $imoff)) (f32x4.mul (local.get $wv)
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $x0) (local.get $x1))))
          (local.set $row (i32.add (local.get $row) (i32.const 32)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
          (br $vec)))
        ;; Remaining channels one pair at a time (and a last unpaired channel).
        (local.set $rowend (i32.add (local.get $in)
          (i32.mul (i32.add (i32.add (i32.mul (local.get $f) (local.get $hop)) (local.get $n)) (i32.const 1)) (local.get $rowbytes))))
        (block $tail_done (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $row) (local.get $rowend)))
          (local.set $x0 (f32x4.splat (f32.load (local.get $row))))
          (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $x0) (local.get $x0))))
          (f32.store (local.get $dst) (f32.mul (f32.load (local.get $row)) (local.get $w)))
          (if (i32.lt_u (i32.add (local.get $row) (i32.const 4)) (local.get $rowend))
            (then
              (local.set $x0 (f32x4.splat (f32.load offset=4 (local.get $row))))
              (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $x0) (local.get $x0))))
              (f32.store (i32.add (local.get $dst) (local.get $imoff)) (f32.mul (f32.load offset=4 (local.get $row)) (local.get $w))))
            (else (f32.store (i32.add (local.get $dst) (local.get $imoff)) (f32.const 0))))
          (local.set $row (i32.add (local.get $row) (i32.const 8)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (br $tail)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $load)))
      ;; Radix-2 decimation in time, four pairs per vector.
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
            (local.set $wr (f32x4.splat (f32.load (i32.add (global.get $cos) (i32.shl (i32.mul (local.get $j) (local.get $step)) (i32.const 2))))))
            (local.set $wi (f32x4.splat (f32.load (i32.add (global.get $sin) (i32.shl (i32.mul (local.get $j) (local.get $step)) (i32.const 2))))))
            (local.set $a (i32.add (global.get $re) (i32.mul (i32.add (local.get $group) (local.get $j)) (local.get $pairstride))))
            (local.set $b (i32.add (local.get $a) (i32.mul (local.get $span) (local.get $pairstride))))
            (local.set $end (i32.add (local.get $a) (local.get $pairstride)))
            (block $v_done (loop $v
              (br_if $v_done (i32.ge_u (local.get $a) (local.get $end)))
              (local.set $br (v128.load (local.get $b)))
              (local.set $bi (v128.load (i32.add (local.get $b) (local.get $imoff))))
              (local.set $ar (v128.load (local.get $a)))
              (local.set $ai (v128.load (i32.add (local.get $a) (local.get $imoff))))
              (local.set $tr (f32x4.sub (f32x4.mul (local.get $br) (local.get $wr)) (f32x4.mul (local.get $bi) (local.get $wi))))
              (local.set $ti (f32x4.add (f32x4.mul (local.get $br) (local.get $wi)) (f32x4.mul (local.get $bi) (local.get $wr))))
              (v128.store (local.get $a) (f32x4.add (local.get $ar) (local.get $tr)))
              (v128.store (i32.add (local.get $a) (local.get $imoff)) (f32x4.add (local.get $ai) (local.get $ti)))
              (v128.store (local.get $b) (f32x4.sub (local.get $ar) (local.get $tr)))
              (v128.store (i32.add (local.get $b) (local.get $imoff)) (f32x4.sub (local.get $ai) (local.get $ti)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $b (i32.add (local.get $b) (i32.const 16)))
              (br $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jl)))
          (local.set $group (i32.add (local.get $group) (i32.shl (local.get $span) (i32.const 1))))
          (br $grp)))
        (local.set $span (i32.shl (local.get $span) (i32.const 1)))
        (br $stage)))
      ;; Split pairs (four at a time), power + 1e-6, log10, store float32 by channel.
      (local.set $k (i32.const 0))
      (block $k_done (loop $kl
        (br_if $k_done (i32.ge_u (local.get $k) (local.get $freqs)))
        (local.set $zk (i32.add (global.get $re) (i32.mul (local.get $k) (local.get $pairstride))))
        (local.set $zn (i32.add (global.get $re)
          (i32.mul (i32.rem_u (i32.sub (local.get $nfft) (local.get $k)) (local.get $nfft)) (local.get $pairstride))))
        (local.set $o (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (i32.mul (local.get $f) (local.get $channels)) (local.get $freqs)) (local.get $k)) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $sp_done (loop $sp
          (br_if $sp_done (i32.ge_u (local.get $c) (local.get $channels)))
          (local.set $kr (v128.load (local.get $zk)))
          (local.set $ki (v128.load (i32.add (local.get $zk) (local.get $imoff))))
          (local.set $nr (v128.load (local.get $zn)))
          (local.set $ni (v128.load (i32.add (local.get $zn) (local.get $imoff))))
          ;; |X_even|^2 = ((kr + nr)^2 + (ki - ni)^2) / 4, |X_odd|^2 = ((ki + ni)^2 + (kr - nr)^2) / 4
          (local.set $pa (call $log10x4 (f32x4.add (f32x4.splat (f32.const 1e-6)) (f32x4.mul (f32x4.splat (f32.const 0.25))
            (f32x4.add
              (f32x4.mul (f32x4.add (local.get $kr) (local.get $nr)) (f32x4.add (local.get $kr) (local.get $nr)))
              (f32x4.mul (f32x4.sub (local.get $ki) (local.get $ni)) (f32x4.sub (local.get $ki) (local.get $ni))))))))
          (local.set $pb (call $log10x4 (f32x4.add (f32x4.splat (f32.const 1e-6)) (f32x4.mul (f32x4.splat (f32.const 0.25))
            (f32x4.add
              (f32x4.mul (f32x4.add (local.get $ki) (local.get $ni)) (f32x4.add (local.get $ki) (local.get $ni)))
              (f32x4.mul (f32x4.sub (local.get $kr) (local.get $nr)) (f32x4.sub (local.get $kr) (local.get $nr))))))))
          ;; Channel c + 2q gets lane q of pa, channel c + 2q + 1 lane q of pb (while they exist).
          (call $store_lanes (local.get $pa) (local.get $pb) (local.get $o) (i32.sub (local.get $channels) (local.get $c))
            (i32.shl (local.get $freqs) (i32.const 2)))
          (local.set $zk (i32.add (local.get $zk) (i32.const 16)))
          (local.set $zn (i32.add (local.get $zn) (i32.const 16)))
          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $freqs) (i32.const 5))))
          (local.set $c (i32.add (local.get $c) (i32.const 8)))
          (br $sp)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $frame)))
    ;; Any lane NaN: some sample was NaN or infinite.
    (i32.eqz (i32x4.all_true (f32x4.eq (local.get $bad) (local.get $bad)))))
)
