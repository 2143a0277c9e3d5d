//! The rest of `messages.proto`: reconnect, load-balancer stats, client configuration, memory and hook
//! messages. No case here sends them; they are written so that the Rust schema is the whole proto.

use std::collections::HashMap;

/// `message ReconnectParams`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct ReconnectParams {
    #[prost(int32, tag = "1")]
    pub max_reconnect_backoff_ms: i32,
}

/// `message ReconnectInfo`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct ReconnectInfo {
    #[prost(bool, tag = "1")]
    pub passed: bool,
    #[prost(int32, repeated, tag = "2")]
    pub backoff_ms: Vec<i32>,
}

/// `message LoadBalancerStatsRequest`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct LoadBalancerStatsRequest {
    #[prost(int32, tag = "1")]
    pub num_rpcs: i32,
    #[prost(int32, tag = "2")]
    pub timeout_sec: i32,
    #[prost(string, repeated, tag = "3")]
    pub metadata_keys: Vec<String>,
}

/// `message LoadBalancerStatsResponse`.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct LoadBalancerStatsResponse {
    #[prost(map = "string, int32", tag = "1")]
    pub rpcs_by_peer: HashMap<String, i32>,
    #[prost(int32, tag = "2")]
    pub num_failures: i32,
    #[prost(map = "string, message", tag = "3")]
    pub rpcs_by_method: HashMap<String, load_balancer_stats_response::RpcsByPeer>,
    #[prost(map = "string, message", tag = "4")]
    pub metadatas_by_peer: HashMap<String, load_balancer_stats_response::MetadataByPeer>,
}

/// The types nested in `LoadBalancerStatsResponse`.
pub mod load_balancer_stats_response {
    use std::collections::HashMap;

    /// `enum MetadataType`.
    #[derive(
        Clone,
        Copy,
        Debug,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        prost::Enumeration,
        hello::Describe,
    )]
    #[repr(i32)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerStatsResponse.MetadataType"
    )]
    pub enum MetadataType {
        Unknown = 0,
        Initial = 1,
        Trailing = 2,
    }

    /// `message MetadataEntry`.
    #[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerStatsResponse.MetadataEntry"
    )]
    pub struct MetadataEntry {
        #[prost(string, tag = "1")]
        pub key: String,
        #[prost(string, tag = "2")]
        pub value: String,
        #[prost(enumeration = "MetadataType", tag = "3")]
        pub r#type: i32,
    }

    /// `message RpcMetadata`.
    #[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerStatsResponse.RpcMetadata"
    )]
    pub struct RpcMetadata {
        #[prost(message, repeated, tag = "1")]
        pub metadata: Vec<MetadataEntry>,
    }

    /// `message MetadataByPeer`.
    #[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerStatsResponse.MetadataByPeer"
    )]
    pub struct MetadataByPeer {
        #[prost(message, repeated, tag = "1")]
        pub rpc_metadata: Vec<RpcMetadata>,
    }

    /// `message RpcsByPeer`.
    #[derive(Clone, PartialEq, prost::Message, hello::Describe)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerStatsResponse.RpcsByPeer"
    )]
    pub struct RpcsByPeer {
        #[prost(map = "string, int32", tag = "1")]
        pub rpcs_by_peer: HashMap<String, i32>,
    }
}

/// `message LoadBalancerAccumulatedStatsRequest {}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct LoadBalancerAccumulatedStatsRequest {}

/// `message LoadBalancerAccumulatedStatsResponse`.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct LoadBalancerAccumulatedStatsResponse {
    #[prost(map = "string, int32", tag = "1")]
    pub num_rpcs_started_by_method: HashMap<String, i32>,
    #[prost(map = "string, int32", tag = "2")]
    pub num_rpcs_succeeded_by_method: HashMap<String, i32>,
    #[prost(map = "string, int32", tag = "3")]
    pub num_rpcs_failed_by_method: HashMap<String, i32>,
    #[prost(map = "string, message", tag = "4")]
    pub stats_per_method: HashMap<String, load_balancer_accumulated_stats_response::MethodStats>,
}

/// The types nested in `LoadBalancerAccumulatedStatsResponse`.
pub mod load_balancer_accumulated_stats_response {
    use std::collections::HashMap;

    /// `message MethodStats`.
    #[derive(Clone, PartialEq, prost::Message, hello::Describe)]
    #[describe(
        package = "grpc.testing",
        name = "LoadBalancerAccumulatedStatsResponse.MethodStats"
    )]
    pub struct MethodStats {
        #[prost(int32, tag = "1")]
        pub rpcs_started: i32,
        #[prost(map = "int32, int32", tag = "2")]
        pub result: HashMap<i32, i32>,
    }
}

/// `message ClientConfigureRequest`.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct ClientConfigureRequest {
    #[prost(enumeration = "client_configure_request::RpcType", repeated, tag = "1")]
    pub types: Vec<i32>,
    #[prost(message, repeated, tag = "2")]
    pub metadata: Vec<client_configure_request::Metadata>,
    #[prost(int32, tag = "3")]
    pub timeout_sec: i32,
}

/// The types nested in `ClientConfigureRequest`.
pub mod client_configure_request {
    /// `enum RpcType`.
    #[derive(
        Clone,
        Copy,
        Debug,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        prost::Enumeration,
        hello::Describe,
    )]
    #[repr(i32)]
    #[describe(package = "grpc.testing", name = "ClientConfigureRequest.RpcType")]
    pub enum RpcType {
        EmptyCall = 0,
        UnaryCall = 1,
    }

    /// `message Metadata`.
    #[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
    #[describe(package = "grpc.testing", name = "ClientConfigureRequest.Metadata")]
    pub struct Metadata {
        #[prost(enumeration = "RpcType", tag = "1")]
        pub r#type: i32,
        #[prost(string, tag = "2")]
        pub key: String,
        #[prost(string, tag = "3")]
        pub value: String,
    }
}

/// `message ClientConfigureResponse {}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct ClientConfigureResponse {}

/// `message MemorySize`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct MemorySize {
    #[prost(int64, tag = "1")]
    pub rss: i64,
}

/// `message HookRequest`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct HookRequest {
    #[prost(enumeration = "hook_request::HookRequestCommand", tag = "1")]
    pub command: i32,
    #[prost(int32, tag = "2")]
    pub grpc_code_to_return: i32,
    #[prost(string, tag = "3")]
    pub grpc_status_description: String,
    #[prost(int32, tag = "4")]
    pub server_port: i32,
}

/// The types nested in `HookRequest`.
pub mod hook_request {
    /// `enum HookRequestCommand`.
    #[derive(
        Clone,
        Copy,
        Debug,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        prost::Enumeration,
        hello::Describe,
    )]
    #[repr(i32)]
    #[describe(package = "grpc.testing", name = "HookRequest.HookRequestCommand")]
    pub enum HookRequestCommand {
        Unspecified = 0,
        Start = 1,
        Stop = 2,
        Return = 3,
    }
}

/// `message HookResponse {}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct HookResponse {}
