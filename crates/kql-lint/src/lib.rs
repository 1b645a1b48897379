//! KQL linter (work in progress).
