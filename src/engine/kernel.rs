//! The instruction set the hot loop runs with, chosen at run time.
//!
//! The rest of the world's online hashrate is a normal CDF per class and
//! step, evaluated with polynomials in fused multiply-adds
//! ([`f64::mul_add`]). On a CPU with FMA that is one instruction; compiled
//! for the baseline x86-64 target (what a crate depending on hashwatt gets,
//! since this repository's `.cargo/config.toml` applies only inside it), it
//! is a call to a software routine, and the core runs about 1.6 times
//! slower. So the block of steps (`engine/chunk.rs`, `block`) is compiled
//! twice by the [`multiversion`] attribute, once for the baseline and once
//! for x86-64-v3 (AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C: every x86-64
//! server CPU since 2015) with everything it inlines (the whole step of a
//! group of paths), and the CPU's features pick one at each block.
//!
//! Both give the same bits: a fused multiply-add is exactly rounded either
//! way, Rust does no fast-math reassociation, and wider vectors do not
//! change the order of any sum. A build for x86-64-v3 or newer
//! (`-C target-cpu=...`) knows the features at compile time and keeps one
//! copy.
//!
//! # Example
//! ```
//! use hashwatt::engine::{Kernel, kernel};
//! let k = kernel();
//! assert!(matches!(k, Kernel::Baseline | Kernel::X86_64V3));
//! println!("hot loop: {}", k.name());
//! ```

/// A compiled copy of the hot loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kernel {
    /// The target the crate was compiled for, without extra features.
    Baseline,
    /// x86-64-v3: AVX2 and FMA, with BMI1/2, LZCNT, MOVBE and F16C.
    X86_64V3,
}

impl Kernel {
    /// Its name: `baseline`, `x86-64-v3`.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Baseline => "baseline",
            Kernel::X86_64V3 => "x86-64-v3",
        }
    }
}

/// The copy of the hot loop runs take on this CPU: the features it tests
/// are those of the `multiversion` target of `engine/chunk.rs`
/// (`x86_64+avx2+fma+bmi1+bmi2+lzcnt+movbe+f16c`), which picks the copy the
/// same way.
#[inline]
pub fn kernel() -> Kernel {
    #[cfg(target_arch = "x86_64")]
    {
        // The standard library caches the CPUID answer (an atomic load per
        // call) and folds the test to `true` when the features are
        // enabled at compile time.
        if std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
            && std::is_x86_feature_detected!("bmi1")
            && std::is_x86_feature_detected!("bmi2")
            && std::is_x86_feature_detected!("lzcnt")
            && std::is_x86_feature_detected!("movbe")
            && std::is_x86_feature_detected!("f16c")
        {
            return Kernel::X86_64V3;
        }
    }
    Kernel::Baseline
}
