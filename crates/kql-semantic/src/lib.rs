//! Semantic analysis of KQL over the lossless syntax tree (work in progress).

pub mod fold;
