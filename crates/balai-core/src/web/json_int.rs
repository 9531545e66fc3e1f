//! Integers in JSON bodies as JSON Schema (and so the API document) defines them: `3` and
//! `3.0` are the same integer, and generated clients in languages without an integer type
//! send the second. A fraction or a value out of range is still refused.
//! Use with `#[serde(deserialize_with = "balai_core::web::json_int::u32")]`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

struct Integral<T>(std::marker::PhantomData<T>);

impl<'de, T> Visitor<'de> for Integral<T>
where
    T: TryFrom<i64> + TryFrom<u64>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        let refused = || E::invalid_value(de::Unexpected::Float(v), &self);
        // Exactly representable integers only: |v| below 2^53.
        if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 9_007_199_254_740_992.0 {
            return Err(refused());
        }
        #[expect(
            clippy::cast_possible_truncation,
            reason = "integral and below 2^53, checked above"
        )]
        let i = v as i64;
        T::try_from(i).map_err(|_| refused())
    }
}

/// A `u32` written as an integer or an integral number.
pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    d.deserialize_any(Integral(std::marker::PhantomData))
}

/// An `i64` written as an integer or an integral number.
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Integral(std::marker::PhantomData))
}

/// An optional `i64` written as an integer or an integral number.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Integral(std::marker::PhantomData))
                .map(Some)
        }
    }
    d.deserialize_option(Opt)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::u32")]
        n: u32,
        #[serde(default, deserialize_with = "super::opt_i64")]
        id: Option<i64>,
    }

    fn n(json: &str) -> Option<(u32, Option<i64>)> {
        serde_json::from_str::<T>(json).ok().map(|t| (t.n, t.id))
    }

    #[test]
    fn integral_numbers_are_integers() {
        assert_eq!(n(r#"{"n": 3}"#), Some((3, None)));
        assert_eq!(n(r#"{"n": 3.0, "id": 7.0}"#), Some((3, Some(7))));
        assert_eq!(n(r#"{"n": 3, "id": null}"#), Some((3, None)));
        assert_eq!(n(r#"{"n": 3.5}"#), None);
        assert_eq!(n(r#"{"n": -1}"#), None);
        assert_eq!(n(r#"{"n": 4294967296}"#), None);
        assert_eq!(n(r#"{"n": 1e300}"#), None);
        assert_eq!(n(r#"{"n": "3"}"#), None);
    }
}
