//! The statistics behind the evidence: Wilson score intervals for proportions, the sample size
//! that would decide an inconclusive metric, percentiles, and the sampling planner of
//! spec/metrics.md.

/// SplitMix64: a small, fast generator fully determined by its seed (demo data, sample draws).
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `k` successes in `n` trials at `z` (no continuity correction).
/// `k` may be fractional (a projected count). `None` when `n` is zero.
pub fn wilson(k: f64, n: f64, z: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let p = (k / n).clamp(0.0, 1.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At k = 0 and k = n the bounds are 0 and 1 exactly; rounding must not hide that.
    let low = if k <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if k >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// Where an interval stands against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    Inconclusive,
}

/// Judges the interval `(low, high)` against `target`: with `at_least`, passing needs the lower
/// bound to meet the target and failing the upper bound to miss it; otherwise the reverse.
pub fn judge(low: f64, high: f64, target: f64, at_least: bool) -> Verdict {
    if at_least {
        if low >= target {
            Verdict::Pass
        } else if high < target {
            Verdict::Fail
        } else {
            Verdict::Inconclusive
        }
    } else if high <= target {
        Verdict::Pass
    } else if low > target {
        Verdict::Fail
    } else {
        Verdict::Inconclusive
    }
}

/// How many records in all would decide a proportion now at `k / n` against `target`, if the
/// observed rate held: the smallest total whose Wilson interval no longer straddles the target.
/// `None` when the rate equals the target (no number of records decides it) or `n` is zero.
pub fn records_to_decide(k: u64, n: u64, target: f64, at_least: bool) -> Option<u64> {
    if n == 0 {
        return None;
    }
    let p = k as f64 / n as f64;
    if (p - target).abs() < 1e-12 {
        return None;
    }
    let decided = |m: u64| {
        let m = m as f64;
        let (low, high) = wilson(p * m, m, Z95).expect("m > 0");
        judge(low, high, target, at_least) != Verdict::Inconclusive
    };
    if decided(n) {
        return Some(n);
    }
    const LIMIT: u64 = 1 << 40;
    let mut high = n.max(1);
    while !decided(high) {
        high = high.saturating_mul(2);
        if high > LIMIT {
            return None;
        }
    }
    let mut low = high / 2;
    // decided(high) holds, decided(low) does not (or low < n).
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if decided(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

/// The q-quantile (0 < q ≤ 1) of a histogram of integer values by the nearest-rank method: the
/// smallest value whose cumulative count reaches ⌈q·n⌉.
pub fn quantile(histogram: &std::collections::BTreeMap<u32, u64>, q: f64) -> Option<f64> {
    let n: u64 = histogram.values().sum();
    if n == 0 {
        return None;
    }
    let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    for (&value, &count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(value as f64);
        }
    }
    None
}

/// Mean and a 95 % normal-approximation interval of the mean, accumulated one value at a time
/// (Welford's method).
#[derive(Debug, Default, Clone, Copy)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    /// Adds `count` values all equal to `x` (Chan et al.'s combination of two groups).
    pub fn push_many(&mut self, x: f64, count: u64) {
        if count == 0 {
            return;
        }
        let total = self.n + count;
        let d = x - self.mean;
        self.mean += d * count as f64 / total as f64;
        self.m2 += d * d * self.n as f64 * count as f64 / total as f64;
        self.n = total;
    }
    pub fn n(&self) -> u64 {
        self.n
    }
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }
    /// mean ± z·s/√n; `None` below two values.
    pub fn interval(&self) -> Option<(f64, f64)> {
        if self.n < 2 {
            return None;
        }
        let sd = (self.m2 / (self.n - 1) as f64).sqrt();
        let half = Z95 * sd / (self.n as f64).sqrt();
        Some(((self.mean - half).max(0.0), self.mean + half))
    }
}

/// The z of a two-sided interval at `confidence` (0.80–0.999), by inverting the normal
/// distribution (Acklam's rational approximation, relative error below 1.2e-9).
pub fn z_for(confidence: f64) -> f64 {
    normal_quantile(0.5 + confidence / 2.0)
}

fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    const LOW: f64 = 0.024_25;
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Zero-defect attribute sampling: the sample size that, finding no deviation, shows with
/// `confidence` that the deviation rate is below `tolerable` (n = ⌈ln(1−C)/ln(1−p)⌉), capped at
/// the population.
pub fn zero_defect_size(confidence: f64, tolerable: f64, population: u64) -> u64 {
    let n = ((1.0 - confidence).ln() / (1.0 - tolerable).ln() - 1e-9).ceil() as u64;
    n.min(population)
}

/// The sample size for estimating a rate to ±`margin` at `confidence`, assuming the rate
/// `expected` (0.5 when unknown), with the finite-population correction for `population`:
/// n₀ = z²·p(1−p)/e², n = n₀ / (1 + (n₀ − 1)/N).
pub fn estimate_size(confidence: f64, margin: f64, expected: f64, population: u64) -> u64 {
    let z = z_for(confidence);
    let n0 = z * z * expected * (1.0 - expected) / (margin * margin);
    let n = if population > 0 {
        n0 / (1.0 + (n0 - 1.0) / population as f64)
    } else {
        n0
    };
    ((n - 1e-9).ceil() as u64).min(population)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles() {
        assert!((z_for(0.95) - Z95).abs() < 1e-8);
        assert!((z_for(0.90) - 1.644_853_626_951_472_2).abs() < 1e-8);
        assert!((z_for(0.99) - 2.575_829_303_548_900_4).abs() < 1e-8);
    }

    #[test]
    fn grouped_values_give_the_same_moments() {
        let mut one = Moments::default();
        let mut grouped = Moments::default();
        for (x, n) in [(3.0, 4u64), (10.0, 1), (0.0, 7), (25.0, 2)] {
            (0..n).for_each(|_| one.push(x));
            grouped.push_many(x, n);
        }
        assert_eq!(one.n(), grouped.n());
        assert!((one.mean().unwrap() - grouped.mean().unwrap()).abs() < 1e-12);
        let (a, b) = (one.interval().unwrap(), grouped.interval().unwrap());
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    }

    #[test]
    fn moments_match_a_direct_computation() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut m = Moments::default();
        xs.iter().for_each(|&x| m.push(x));
        assert_eq!(m.mean(), Some(5.0));
        // Sample variance 32/7.
        let half = Z95 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        let (lo, hi) = m.interval().unwrap();
        assert!((lo - (5.0 - half)).abs() < 1e-12 && (hi - (5.0 + half)).abs() < 1e-12);
    }
}
