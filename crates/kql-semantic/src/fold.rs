//! Constant folding of datetime and timespan expressions (work in progress).
