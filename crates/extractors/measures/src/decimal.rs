//! Exact decimals: an integer mantissa times a power of ten.
//!
//! Amounts in news are short decimal numerals scaled by powers of ten
//! (`41.18 million`, `1.5bn`, `3 crore`), and the output wants them as
//! exact decimal strings. A binary float cannot hold `41.18` at all, so
//! `41.18 × 10^6` in `f64` is `41180000.00000001` or worse; a mantissa and
//! an exponent make every operation the text needs exact: scaling by `10^k`
//! is an addition to the exponent, and `half a million` is a product of two
//! small integers. A `u128` mantissa holds 38 digits, far beyond any real
//! amount; every operation is checked and returns `None` rather than wrap,
//! so a numeral with 50 digits is simply not an amount.

use std::cmp::Ordering;
use std::fmt;

/// `mantissa × 10^exponent`, kept normalised: the mantissa has no trailing
/// zero (zero itself is `0 × 10^0`), so equal values have equal fields and
/// `==` is value equality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: u128,
    exponent: i32,
}

/// The exponent is kept within this range so that formatting stays short
/// and exponent arithmetic cannot overflow.
const MAX_EXPONENT: i32 = 60;

impl Decimal {
    pub const ZERO: Decimal = Decimal { mantissa: 0, exponent: 0 };

    /// `mantissa × 10^exponent`, normalised; `None` if the exponent is out
    /// of range.
    pub fn new(mantissa: u128, exponent: i32) -> Option<Decimal> {
        let (mut mantissa, mut exponent) = (mantissa, exponent);
        if mantissa == 0 {
            return Some(Decimal::ZERO);
        }
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent = exponent.checked_add(1)?;
        }
        (-MAX_EXPONENT..=MAX_EXPONENT).contains(&exponent).then_some(Decimal { mantissa, exponent })
    }

    pub fn from_integer(value: u128) -> Decimal {
        // An integer's exponent is at most 38, always in range.
        Decimal::new(value, 0).unwrap_or(Decimal::ZERO)
    }

    /// Parses ASCII digits with at most one `.`: `41.18`, `.5`, `80000`.
    /// Separators between thousands are the caller's business (see
    /// `numeral::parse_numeral`).
    pub fn parse_plain(text: &str) -> Option<Decimal> {
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (text, ""),
        };
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let mut mantissa: u128 = 0;
        // Leading zeros cost no precision; skip them so that `0000…1` with
        // 40 zeros still fits.
        let digits = whole.bytes().chain(fraction.bytes()).skip_while(|&b| b == b'0');
        for byte in digits {
            if !byte.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa.checked_mul(10)?.checked_add(u128::from(byte - b'0'))?;
        }
        if !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exponent = -i32::try_from(fraction.len()).ok()?;
        Decimal::new(mantissa, exponent)
    }

    /// `self × 10^power`.
    pub fn scale(self, power: i32) -> Option<Decimal> {
        Decimal::new(self.mantissa, self.exponent.checked_add(power)?)
    }

    /// The exact product.
    pub fn multiply(self, other: Decimal) -> Option<Decimal> {
        let exponent = self.exponent.checked_add(other.exponent)?;
        Decimal::new(self.mantissa.checked_mul(other.mantissa)?, exponent)
    }

    /// The exact sum.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        // Align on the smaller exponent; the larger mantissa is scaled up.
        let exponent = self.exponent.min(other.exponent);
        let align = |value: Decimal| -> Option<u128> {
            let shift = u32::try_from(value.exponent - exponent).ok()?;
            value.mantissa.checked_mul(10u128.checked_pow(shift)?)
        };
        Decimal::new(align(self)?.checked_add(align(other)?)?, exponent)
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Whether the value is an integer (no digits after the point).
    pub fn is_integer(self) -> bool {
        self.exponent >= 0
    }

    /// The value as an integer, when it is one and fits.
    pub fn to_integer(self) -> Option<u128> {
        if self.exponent < 0 {
            return None;
        }
        self.mantissa.checked_mul(10u128.checked_pow(u32::try_from(self.exponent).ok()?)?)
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.mantissa == 0 || other.mantissa == 0 {
            return self.mantissa.cmp(&other.mantissa);
        }
        // Compare magnitudes by digit count first, so that no value is
        // ever scaled into overflow.
        let digits = |value: &Decimal| value.mantissa.ilog10() as i32 + value.exponent;
        match digits(self).cmp(&digits(other)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let exponent = self.exponent.min(other.exponent);
        // Same magnitude: both aligned values have the same digit count,
        // at most 39, and so fit.
        let align = |value: &Decimal| {
            u32::try_from(value.exponent - exponent)
                .ok()
                .and_then(|shift| 10u128.checked_pow(shift))
                .and_then(|factor| value.mantissa.checked_mul(factor))
        };
        match (align(self), align(other)) {
            (Some(left), Some(right)) => left.cmp(&right),
            // Unreachable in practice; fall back to an order that is at
            // least consistent.
            _ => (self.mantissa, self.exponent).cmp(&(other.mantissa, other.exponent)),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Plain decimal notation, never exponent notation: `41180000`, `0.5`,
/// `1234.05`.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.to_string();
        if self.exponent >= 0 {
            f.write_str(&digits)?;
            for _ in 0..self.exponent {
                f.write_str("0")?;
            }
            return Ok(());
        }
        let fraction_length = self.exponent.unsigned_abs() as usize;
        if digits.len() > fraction_length {
            let (whole, fraction) = digits.split_at(digits.len() - fraction_length);
            write!(f, "{whole}.{fraction}")
        } else {
            f.write_str("0.")?;
            for _ in digits.len()..fraction_length {
                f.write_str("0")?;
            }
            f.write_str(&digits)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse_plain(text).unwrap()
    }

    #[test]
    fn parses_and_prints_exactly() {
        for (text, printed) in [
            ("41.18", "41.18"),
            ("80000", "80000"),
            ("0.50", "0.5"),
            (".5", "0.5"),
            ("007", "7"),
            ("0", "0"),
            ("0.000", "0"),
            ("1.", "1"),
            ("0.001", "0.001"),
            ("123456789012345678901234567890", "123456789012345678901234567890"),
        ] {
            assert_eq!(d(text).to_string(), printed, "{text}");
        }
        for text in ["", ".", "1.2.3", "1,000", "12a", "-1", "１"] {
            assert_eq!(Decimal::parse_plain(text), None, "{text}");
        }
        let too_long = "9".repeat(45);
        assert_eq!(Decimal::parse_plain(&too_long), None);
    }

    #[test]
    fn scaling_is_exact() {
        assert_eq!(d("41.18").scale(6).unwrap().to_string(), "41180000");
        assert_eq!(d("1.5").scale(9).unwrap().to_string(), "1500000000");
        assert_eq!(d("35").scale(6).unwrap().to_string(), "35000000");
        assert_eq!(d("50").scale(-2).unwrap().to_string(), "0.5");
        assert_eq!(d("3").scale(7).unwrap().to_string(), "30000000");
        assert_eq!(d("0.5").multiply(d("1000000")).unwrap().to_string(), "500000");
        assert_eq!(d("1").scale(1000), None);
    }

    #[test]
    fn ordering_is_by_value() {
        assert!(d("3") < d("5"));
        assert!(d("0.5") < d("1"));
        assert!(d("1000") > d("999.99"));
        assert_eq!(d("2.50").cmp(&d("2.5")), Ordering::Equal);
        assert!(d("0") < d("0.001"));
    }

    /// A small deterministic generator, so the property tests need no
    /// dependency (see the crate essay).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, bound: u64) -> u64 {
            self.next() % bound
        }
    }

    /// Property: printing then parsing gives the same value, and the
    /// printed form is the numeral with leading and trailing zeros
    /// stripped.
    #[test]
    fn property_print_parse_round_trip() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let whole = rng.below(1_000_000_000);
            let fraction_digits = rng.below(6) as usize;
            let fraction = rng.below(10u64.pow(fraction_digits as u32).max(1));
            let text = if fraction_digits == 0 {
                whole.to_string()
            } else {
                format!("{whole}.{fraction:0fraction_digits$}")
            };
            let value = d(&text);
            assert_eq!(d(&value.to_string()), value, "{text}");
            let mut expected = text.clone();
            if expected.contains('.') {
                expected = expected.trim_end_matches('0').trim_end_matches('.').to_string();
            }
            assert_eq!(value.to_string(), expected, "{text}");
        }
    }

    /// Property: scaling by `10^k` agrees with integer arithmetic and undoes
    /// itself; products and sums agree with `u128` arithmetic on integers.
    #[test]
    fn property_arithmetic_agrees_with_integers() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let a = u128::from(rng.below(10_000_000_000));
            let b = u128::from(rng.below(10_000_000));
            let k = rng.below(12) as i32;
            let value = Decimal::from_integer(a);
            let scaled = value.scale(k).unwrap();
            assert_eq!(scaled.to_integer(), Some(a * 10u128.pow(k as u32)));
            assert_eq!(scaled.scale(-k).unwrap(), value);
            let product = value.multiply(Decimal::from_integer(b)).unwrap();
            assert_eq!(product.to_integer(), Some(a * b));
            let sum = value.checked_add(Decimal::from_integer(b)).unwrap();
            assert_eq!(sum.to_integer(), Some(a + b));
            assert_eq!(value.cmp(&Decimal::from_integer(b)), a.cmp(&b));
            // A fraction plus its complement is whole.
            let cents = Decimal::from_integer(b % 100).scale(-2).unwrap();
            let rest = Decimal::from_integer(100 - b % 100).scale(-2).unwrap();
            assert_eq!(cents.checked_add(rest).unwrap(), Decimal::from_integer(1));
        }
    }
}
