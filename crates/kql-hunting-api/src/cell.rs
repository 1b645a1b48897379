//! One result cell presented to `Deserialize`: a JSON value, except that the strings
//! `"NaN"`, `"Infinity"` and `"-Infinity"` (how the service sends non-finite `Double`s, which
//! JSON numbers cannot hold) read as `f64`/`f32` values when a float is asked for.

use serde::Deserializer;
use serde_json::Value;

pub(crate) struct Cell(pub(crate) Value);

fn non_finite(v: &Value) -> Option<f64> {
    match v.as_str()?.trim() {
        "NaN" | "nan" => Some(f64::NAN),
        "Infinity" | "+Infinity" | "inf" | "+inf" => Some(f64::INFINITY),
        "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// `Deserializer` methods, one line each: the method, its arguments before the visitor, and the
/// expression that answers it, in which `$s` is `self` and `$v` the visitor.
macro_rules! deserialize_methods {
    ($s:ident, $v:ident; $($method:ident($($arg:ident: $ty:ty),*) => $body:expr;)*) => {$(
        fn $method<V: serde::de::Visitor<'de>>(
            $s,
            $($arg: $ty,)*
            $v: V,
        ) -> Result<V::Value, Self::Error> {
            $body
        }
    )*};
}
pub(crate) use deserialize_methods;

/// Methods that hand their arguments on to the same method of the wrapped `Value`.
macro_rules! delegate {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        deserialize_methods! { self, visitor;
            $($method($($arg: $ty),*) => self.0.$method($($arg,)* visitor);)*
        }
    };
}

impl<'de> Deserializer<'de> for Cell {
    type Error = serde_json::Error;

    deserialize_methods! { self, visitor;
        deserialize_f64() => match non_finite(&self.0) {
            Some(f) => visitor.visit_f64(f),
            None => self.0.deserialize_f64(visitor),
        };
        deserialize_f32() => match non_finite(&self.0) {
            Some(f) => visitor.visit_f32(f as f32),
            None => self.0.deserialize_f32(visitor),
        };
        deserialize_option() => match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        };
        deserialize_newtype_struct(_name: &'static str) => visitor.visit_newtype_struct(self);
    }

    delegate!(
        deserialize_unit_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_unit(),
        deserialize_seq(),
        deserialize_map(),
        deserialize_identifier(),
        deserialize_ignored_any(),
    );
}
