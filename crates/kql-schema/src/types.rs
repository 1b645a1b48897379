//! KQL scalar types and the names they go by in schema files.

use std::fmt;

/// A KQL scalar type.
///
/// `Unknown` is what analysis uses when a type cannot be known (an unknown column, a plugin's
/// output); it never comes out of [`ScalarType::parse`], so a schema file cannot declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScalarType {
    String,
    Long,
    Int,
    Real,
    Decimal,
    Bool,
    DateTime,
    TimeSpan,
    Guid,
    Dynamic,
    Unknown,
}

impl ScalarType {
    /// Every type a schema can declare, in KQL reference order.
    pub const ALL: [ScalarType; 10] = [
        ScalarType::Bool,
        ScalarType::DateTime,
        ScalarType::Decimal,
        ScalarType::Dynamic,
        ScalarType::Guid,
        ScalarType::Int,
        ScalarType::Long,
        ScalarType::Real,
        ScalarType::String,
        ScalarType::TimeSpan,
    ];

    /// Parses a KQL type name or alias (`long`, `int64`, `double`, `date`, `time`, `uniqueid`…) or
    /// a .NET type name (`System.Int64`, `Double`, `Object`, `SByte`…), ignoring case.
    ///
    /// Case is ignored because Advanced Hunting API responses and Sentinel files spell .NET names
    /// with capitals (`DateTime`) while Kusto writes `datetime`; no two types differ only by case.
    pub fn parse(name: &str) -> Option<ScalarType> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix("system.").unwrap_or(&lower);
        Some(match lower {
            "string" => ScalarType::String,
            "long" | "int64" | "uint64" => ScalarType::Long,
            "int" | "int32" | "uint32" | "int16" | "uint16" | "byte" => ScalarType::Int,
            "real" | "double" | "single" | "float" => ScalarType::Real,
            "decimal" | "sqldecimal" | "data.sqltypes.sqldecimal" => ScalarType::Decimal,
            "bool" | "boolean" | "sbyte" => ScalarType::Bool,
            "datetime" | "date" => ScalarType::DateTime,
            "timespan" | "time" => ScalarType::TimeSpan,
            "guid" | "uniqueid" => ScalarType::Guid,
            "dynamic" | "object" => ScalarType::Dynamic,
            _ => return None,
        })
    }

    /// The KQL name (`datetime`, `timespan`…), the spelling `getschema` and error messages use.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Long => "long",
            ScalarType::Int => "int",
            ScalarType::Real => "real",
            ScalarType::Decimal => "decimal",
            ScalarType::Bool => "bool",
            ScalarType::DateTime => "datetime",
            ScalarType::TimeSpan => "timespan",
            ScalarType::Guid => "guid",
            ScalarType::Dynamic => "dynamic",
            ScalarType::Unknown => "unknown",
        }
    }

    /// `int`, `long`, `real` and `decimal`: the types arithmetic and numeric functions accept.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ScalarType::Int | ScalarType::Long | ScalarType::Real | ScalarType::Decimal
        )
    }

    /// The result type of arithmetic between two numbers: the wider one
    /// (`int < long < real < decimal`). `None` when either side is not numeric.
    ///
    /// Decision: decimal is treated as the widest type, so `decimal + real` is `decimal`.
    pub fn promote(a: ScalarType, b: ScalarType) -> Option<ScalarType> {
        fn rank(t: ScalarType) -> Option<u8> {
            Some(match t {
                ScalarType::Int => 0,
                ScalarType::Long => 1,
                ScalarType::Real => 2,
                ScalarType::Decimal => 3,
                _ => return None,
            })
        }
        let (ra, rb) = (rank(a)?, rank(b)?);
        Some(if ra >= rb { a } else { b })
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ScalarType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ScalarType::parse(s).ok_or_else(|| unknown_type_message(s))
    }
}

/// The message for a type name nobody knows, with the valid names so the user can fix the file.
pub(crate) fn unknown_type_message(name: &str) -> String {
    format!(
        "unknown type `{name}` (expected one of: bool, datetime, decimal, dynamic, guid, int, long, real, string, timespan, or a .NET name such as System.Int64)"
    )
}

impl<'de> serde::Deserialize<'de> for ScalarType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ScalarType::parse(&s).ok_or_else(|| serde::de::Error::custom(unknown_type_message(&s)))
    }
}

impl serde::Serialize for ScalarType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kql_names_aliases_and_dotnet_names() {
        let cases = [
            ("string", ScalarType::String),
            ("long", ScalarType::Long),
            ("int64", ScalarType::Long),
            ("int", ScalarType::Int),
            ("int32", ScalarType::Int),
            ("real", ScalarType::Real),
            ("double", ScalarType::Real),
            ("decimal", ScalarType::Decimal),
            ("bool", ScalarType::Bool),
            ("boolean", ScalarType::Bool),
            ("datetime", ScalarType::DateTime),
            ("date", ScalarType::DateTime),
            ("timespan", ScalarType::TimeSpan),
            ("time", ScalarType::TimeSpan),
            ("guid", ScalarType::Guid),
            ("uniqueid", ScalarType::Guid),
            ("dynamic", ScalarType::Dynamic),
            // .NET names, in any letter case.
            ("System.String", ScalarType::String),
            ("String", ScalarType::String),
            ("Int64", ScalarType::Long),
            ("System.Int32", ScalarType::Int),
            ("Boolean", ScalarType::Bool),
            ("Double", ScalarType::Real),
            ("DateTime", ScalarType::DateTime),
            ("system.timespan", ScalarType::TimeSpan),
            ("Guid", ScalarType::Guid),
            ("Object", ScalarType::Dynamic),
            ("SByte", ScalarType::Bool),
            ("Decimal", ScalarType::Decimal),
            ("Single", ScalarType::Real),
        ];
        for (name, ty) in cases {
            assert_eq!(ScalarType::parse(name), Some(ty), "{name}");
        }
    }

    #[test]
    fn rejects_unknown_names() {
        assert_eq!(ScalarType::parse("strng"), None);
        assert_eq!(ScalarType::parse("unknown"), None);
        assert_eq!(ScalarType::parse(""), None);
        assert!("varchar"
            .parse::<ScalarType>()
            .unwrap_err()
            .contains("varchar"));
    }

    #[test]
    fn display_is_the_kql_name_and_round_trips() {
        for ty in ScalarType::ALL {
            assert_eq!(ScalarType::parse(&ty.to_string()), Some(ty));
        }
        assert_eq!(ScalarType::DateTime.to_string(), "datetime");
        assert_eq!(ScalarType::Unknown.to_string(), "unknown");
    }

    #[test]
    fn promotion_picks_the_wider_number() {
        use ScalarType::*;
        assert_eq!(ScalarType::promote(Int, Long), Some(Long));
        assert_eq!(ScalarType::promote(Real, Long), Some(Real));
        assert_eq!(ScalarType::promote(Decimal, Real), Some(Decimal));
        assert_eq!(ScalarType::promote(Int, Int), Some(Int));
        assert_eq!(ScalarType::promote(String, Int), None);
    }
}
