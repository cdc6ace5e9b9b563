//! π to any number of significant digits, for the `perl -Mbignum=bpi -wle 'print bpi(N)'` Job
//! example: the Rabinowitz–Wagon spigot (integer arithmetic only), rounded half-up as
//! Math::BigFloat rounds its result.

/// The most digits computed (the cost grows with the square of the count).
pub const MAX_DIGITS: usize = 10_000;

/// The first `count` decimal digits of π (3, 1, 4, 1, 5, …), unrounded.
fn spigot(count: usize) -> Vec<u8> {
    let length = count * 10 / 3 + 1;
    let mut remainders = vec![2u64; length];
    let mut digits = Vec::with_capacity(count + 1);
    let mut nines = 0usize;
    let mut predigit = 0u64;
    for j in 1..=count {
        let mut carry = 0u64;
        for i in (1..=length as u64).rev() {
            let index = (i - 1) as usize;
            let x = 10 * remainders[index] + carry * i;
            remainders[index] = x % (2 * i - 1);
            carry = x / (2 * i - 1);
        }
        remainders[0] = carry % 10;
        let q = carry / 10;
        if q == 9 {
            nines += 1;
        } else if q == 10 {
            digits.push((predigit + 1) as u8);
            digits.extend(std::iter::repeat_n(0, nines));
            predigit = 0;
            nines = 0;
        } else {
            if j > 1 {
                digits.push(predigit as u8);
            }
            predigit = q;
            digits.extend(std::iter::repeat_n(9, nines));
            nines = 0;
        }
    }
    digits.push(predigit as u8);
    digits.truncate(count);
    digits
}

/// π with `significant` digits, as `bpi(significant)` prints it: `3.14` for 3.
pub fn pi_text(significant: usize) -> String {
    let significant = significant.clamp(1, MAX_DIGITS);
    let mut digits = spigot(significant + 8);
    let round_up = digits.get(significant).is_some_and(|d| *d >= 5);
    digits.truncate(significant);
    if round_up {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let mut text = String::with_capacity(significant + 1);
    for (i, d) in digits.iter().enumerate() {
        if i == 1 {
            text.push('.');
        }
        text.push(char::from(b'0' + d));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi_digits_are_right_and_rounded() {
        assert_eq!(pi_text(1), "3");
        assert_eq!(pi_text(3), "3.14");
        assert_eq!(pi_text(5), "3.1416");
        assert_eq!(pi_text(30), "3.14159265358979323846264338328");
        let long = pi_text(2000);
        assert_eq!(long.len(), 2001);
        // Digits 1990–2000 of π are …4780275900|9946…: rounded up at the 2000th.
        assert!(long.ends_with("904780275901"), "{}", &long[1980..]);
    }
}
