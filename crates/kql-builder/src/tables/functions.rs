//! Output columns of Advanced Hunting's own functions (facts from kqlkit's schema data):
//! `invoke FileProfile()` adds [`FileProfile`]'s columns, `DeviceFromIP()` and
//! `AssignedIPAddresses()` are sources with [`DeviceFromIP`] / [`AssignedIPAddresses`] columns.

macro_rules! function_columns {
    ($($(#[$m:meta])* $name:ident { $($col:ident: $ty:ident),* $(,)? })*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        #[allow(non_upper_case_globals)]
        impl $name {
            $(
                #[doc = concat!("`", stringify!($col), "` (`", stringify!($ty), "`).")]
                pub const $col: crate::Column<crate::types::$ty> = crate::Column::new(stringify!($col));
            )*
        }
    )*};
}

function_columns! {
    /// Columns `invoke FileProfile()` adds ([`Query::invoke_file_profile`](crate::Query::invoke_file_profile)).
    FileProfile {
        SHA1: String, SHA256: String, MD5: String, FileSize: Long, GlobalPrevalence: Long,
        GlobalFirstSeen: DateTime, GlobalLastSeen: DateTime, Signer: String, Issuer: String,
        SignerHash: String, IsCertificateValid: Bool, IsRootSignerMicrosoft: Bool,
        SignatureState: String, IsExecutable: Bool, ThreatName: String, Publisher: String,
        SoftwareName: String, ProfileAvailability: String,
    }
    /// Columns of `DeviceFromIP()` ([`Query::device_from_ip`](crate::Query::device_from_ip)).
    DeviceFromIP { IP: String, DeviceId: String }
    /// Columns of `AssignedIPAddresses()` ([`Query::assigned_ip_addresses`](crate::Query::assigned_ip_addresses)).
    AssignedIPAddresses {
        Timestamp: DateTime, IPAddress: String, IPType: String, NetworkAdapterType: String,
        ConnectedNetworks: String,
    }
}
