//! [`table!`](crate::table): what [`codegen`](crate::codegen) emits per table. The generator
//! writes a table's data (names, column types); the struct, the column constants, `query()` and
//! the [`Table`](crate::Table) impl are written once, here.

/// Declares a table type: a unit struct with one [`Column`](crate::Column) constant per column,
/// `query()`, and [`Table`](crate::Table). Generated code calls it (see [`codegen`](crate::codegen));
/// its input format follows the generator.
///
/// A column is `Ident: Marker`; `Ident = "KQL name"` when the KQL name is not the identifier,
/// and `Marker("type")` when the schema spells the type otherwise than
/// [`KqlType::NAME`](crate::types::KqlType::NAME) (`double` for `real`).
///
/// ```
/// kql_builder::table! {
///     /// Sign-ins.
///     Logons = "My Logons", time: Some("Timestamp");
///     Timestamp: DateTime,
///     r#type = "type": String,
///     Score: Real("double"),
/// }
/// use kql_builder::Table;
/// assert_eq!(Logons::COLUMNS, &[("Timestamp", "datetime"), ("type", "string"), ("Score", "double")]);
/// assert_eq!(Logons::query().where_(Logons::r#type.eq("x")).to_kql(), "['My Logons']\n| where type == \"x\"");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! table {
    (
        $(#[$meta:meta])*
        $table:ident = $name:literal, time: $time:expr;
        $($column:ident $(= $kql:literal)?: $marker:ident $(($kql_type:literal))?,)*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub struct $table;

        #[allow(non_upper_case_globals)]
        impl $table {
            $(
                #[doc = concat!("`", $crate::__first!($($kql,)? stringify!($column)), "` column.")]
                pub const $column: $crate::Column<$crate::types::$marker> =
                    $crate::Column::new($crate::__first!($($kql,)? stringify!($column)));
            )*

            /// A query over this table.
            pub fn query() -> $crate::Query {
                $crate::Query::table($name)
            }
        }

        impl $crate::Table for $table {
            const NAME: &'static str = $name;
            const TIME_COLUMN: Option<&'static str> = $time;
            const COLUMNS: &'static [(&'static str, &'static str)] = &[$((
                $crate::__first!($($kql,)? stringify!($column)),
                $crate::__first!($($kql_type,)? <$crate::types::$marker as $crate::types::KqlType>::NAME),
            )),*];
        }
    };
}

/// The first of its arguments: an optional value given in a macro input, else the default.
#[doc(hidden)]
#[macro_export]
macro_rules! __first {
    ($first:expr $(, $rest:expr)*) => {
        $first
    };
}
