//! Data-driven tests of every editor feature: fixtures with a `$0` cursor, insta snapshots.

mod completion;
mod corpus;
mod fixture;
mod hover;
mod navigation;
mod outline;
mod signature_help;
mod tokens_hints_actions;
